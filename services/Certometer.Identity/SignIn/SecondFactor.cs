using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Certometer.Auth;
using Certometer.Identity.Accounts;
using Certometer.Identity.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Certometer.Identity.SignIn;

/// <summary>Whether staff must give an authenticator code at sign-in (see <see cref="StaffSecondFactor"/>).</summary>
public sealed class SecondFactorOptions
{
    public bool RequiredForStaff { get; set; }
}

/// <summary>What became of an authenticator or recovery code.</summary>
public enum CodeOutcome
{
    Accepted,

    /// <summary>The code, or the password given before it, was wrong; which of the two is not said.</summary>
    Refused,

    /// <summary>Too many wrong codes from this client address; the password is not even looked at.</summary>
    LockedOut,
}

/// <summary>
/// The second step of signing in, with an authenticator app (RFC 6238, ASP.NET Core Identity's authenticator provider)
/// or a one-use recovery code: required of staff where <see cref="SecondFactorOptions.RequiredForStaff"/> says so, and of
/// anyone who enrolled. Between the password and the code the person holds only Identity's short-lived two-factor
/// cookie, which names the account and whether the password was right; it authorises nothing.
/// </summary>
public sealed class SecondFactor(
    UserManager<Account> accounts,
    PasswordAttempts passwords,
    IdentityDbContext db,
    TimeProvider clock,
    IOptions<SecondFactorOptions> options)
{
    public const string CodePath = "/account/second-factor";
    public const string EnrolmentPath = "/account/second-factor/enrol";
    public const int RecoveryCodeCount = 10;

    private const string PasswordRightClaim = "certometer:password-right";
    private const string LastCodeProvider = "[Certometer]";
    private const string LastCodeName = "LastAuthenticatorCode";

    // The authenticator provider accepts a code for two 30-second steps either side of now; a code seen within that span is a replay.
    private static readonly TimeSpan CodeLifetime = TimeSpan.FromSeconds(150);

    /// <summary>Whether signing in to <paramref name="account"/> needs a code after the password.</summary>
    public async Task<bool> IsNeededAsync(Account account) =>
        account.TwoFactorEnabled || (options.Value.RequiredForStaff && await IsStaffAsync(account));

    /// <summary>Whether a sign-in session for <paramref name="account"/> was made with every factor it needs.</summary>
    public async Task<bool> IsSatisfiedBy(ClaimsPrincipal session, Account account) =>
        session.HasClaim(StaffSecondFactor.MethodsClaim, StaffSecondFactor.MultipleFactors) || !await IsNeededAsync(account);

    /// <summary>
    /// Holds the sign-in between password and code; returns the page to send the person to: the code, or enrolment for
    /// staff without an authenticator yet (only ever after the right password).
    /// </summary>
    public async Task<string> BeginAsync(HttpContext http, Account account, bool passwordRight)
    {
        var identity = new ClaimsIdentity(IdentityConstants.TwoFactorUserIdScheme);
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, account.Id.ToString()));
        identity.AddClaim(new Claim(PasswordRightClaim, passwordRight ? "yes" : "no"));
        await http.SignInAsync(IdentityConstants.TwoFactorUserIdScheme, new ClaimsPrincipal(identity));
        return account.TwoFactorEnabled ? CodePath : EnrolmentPath;
    }

    /// <summary>The account between its password and its code, or null when there is none (or it expired, after five minutes).</summary>
    public async Task<(Account Account, bool PasswordRight)?> PendingAsync(HttpContext http)
    {
        var pending = await http.AuthenticateAsync(IdentityConstants.TwoFactorUserIdScheme);
        var id = pending.Principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        var account = id is null ? null : await accounts.FindByIdAsync(id);
        return account is null || account.LockedForErasureAt is not null
            ? null
            : (account, pending.Principal!.FindFirstValue(PasswordRightClaim) == "yes");
    }

    /// <summary>The enrolled person's authenticator key, made on first use; shown once more on each visit until enrolment ends.</summary>
    public async Task<string> KeyForEnrolmentAsync(Account account)
    {
        var key = await accounts.GetAuthenticatorKeyAsync(account);
        if (string.IsNullOrEmpty(key))
        {
            await accounts.ResetAuthenticatorKeyAsync(account);
            key = await accounts.GetAuthenticatorKeyAsync(account);
        }

        return key!;
    }

    /// <summary>
    /// Checks a code (authenticator, or recovery where <paramref name="allowRecoveryCode"/>) together with whether the
    /// password before it was right, and records the attempt; accepts only both, and never the same code twice.
    /// </summary>
    public async Task<CodeOutcome> CheckAsync(
        Account account, bool passwordRight, string? code, bool allowRecoveryCode, string? clientAddress, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (await passwords.IsLockedOutAsync(account.Id, SignInMethods.AuthenticatorCode, clientAddress, now, cancellationToken))
        {
            return CodeOutcome.LockedOut;
        }

        // As people type them: "123 456" from the app's display, "bcdfg-hjkmn" or without its hyphen from the printed list.
        var typed = new string((code ?? "").Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray()).ToUpperInvariant();
        var accepted = passwordRight && typed.Length > 0 && (typed.All(char.IsAsciiDigit)
            ? await IsFreshAuthenticatorCodeAsync(account, typed, now)
            : allowRecoveryCode && typed.Length == 10
                && (await accounts.RedeemTwoFactorRecoveryCodeAsync(account, $"{typed[..5]}-{typed[5..]}")).Succeeded);
        passwords.Record(account.Id, SignInMethods.AuthenticatorCode, accepted, clientAddress, now);
        if (accepted)
        {
            // The password was right too, which the lockout past which this may have come has not yet heard.
            passwords.Record(account.Id, SignInMethods.Password, succeeded: true, clientAddress, now);
        }

        await db.SaveChangesAsync(cancellationToken);
        return accepted ? CodeOutcome.Accepted : CodeOutcome.Refused;
    }

    /// <summary>Turns the second factor on once the person proved their app works, and returns the recovery codes to show them once.</summary>
    public async Task<IReadOnlyList<string>> CompleteEnrolmentAsync(Account account)
    {
        await accounts.SetTwoFactorEnabledAsync(account, true);
        return [.. await accounts.GenerateNewTwoFactorRecoveryCodesAsync(account, RecoveryCodeCount) ?? []];
    }

    /// <summary>Replaces the pending sign-in with the full session, marked with both factors so tokens can say so.</summary>
    public async Task SignInAsync(HttpContext http, SignInManager<Account> signIns, Account account)
    {
        await http.SignOutAsync(IdentityConstants.TwoFactorUserIdScheme);
        await signIns.SignInWithClaimsAsync(account, isPersistent: false,
        [
            new Claim(StaffSecondFactor.MethodsClaim, SignInMethods.Password),
            new Claim(StaffSecondFactor.MethodsClaim, SignInMethods.AuthenticatorCode),
            new Claim(StaffSecondFactor.MethodsClaim, StaffSecondFactor.MultipleFactors),
        ]);
    }

    /// <summary>The otpauth URI (Key URI Format) an authenticator app reads, for a link or a QR code.</summary>
    public static string AuthenticatorUri(string email, string key) =>
        $"otpauth://totp/{Uri.EscapeDataString("Certometer:" + email)}?secret={key}&issuer=Certometer&digits=6";

    private async Task<bool> IsStaffAsync(Account account) =>
        (await accounts.GetRolesAsync(account)).Any(role => StaffSecondFactor.Roles.Contains(role, StringComparer.Ordinal));

    private async Task<bool> IsFreshAuthenticatorCodeAsync(Account account, string code, DateTimeOffset now)
    {
        if (!await accounts.VerifyTwoFactorTokenAsync(account, accounts.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            return false;
        }

        // Kept as a hash with the time it was used: the code itself would be of no use to anyone by then, but nothing needs it.
        var fingerprint = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{account.Id}:{code}")));
        if (await accounts.GetAuthenticationTokenAsync(account, LastCodeProvider, LastCodeName) is { } last
            && last.Split('|') is [var lastFingerprint, var lastAt]
            && lastFingerprint == fingerprint
            && long.TryParse(lastAt, out var lastSeconds)
            && now - DateTimeOffset.FromUnixTimeSeconds(lastSeconds) < CodeLifetime)
        {
            return false;
        }

        await accounts.SetAuthenticationTokenAsync(account, LastCodeProvider, LastCodeName, $"{fingerprint}|{now.ToUnixTimeSeconds()}");
        return true;
    }
}
