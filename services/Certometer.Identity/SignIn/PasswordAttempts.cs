using Certometer.Identity.Accounts;
using Certometer.Identity.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Identity.SignIn;

/// <summary>
/// Every check of a password someone typed, wherever it is typed (the sign-in form, an address change): the lockout per
/// account and client address, the sign-in record, and the same work for an address without an account as for a wrong
/// password.
/// </summary>
public sealed class PasswordAttempts(
    SignInManager<Account> signIns, IPasswordHasher<Account> hasher, IdentityDbContext db, TimeProvider clock)
{
    internal const int FailuresBeforeLockout = 5;

    internal static readonly TimeSpan Lockout = TimeSpan.FromMinutes(15);

    private static readonly Account Decoy = new() { Id = Guid.Empty, Name = "" };

    private static string? decoyHash;

    /// <summary>Checks <paramref name="password"/> for <paramref name="account"/> (null when the address has none) and records the attempt.</summary>
    public async Task<Microsoft.AspNetCore.Identity.SignInResult> CheckAsync(
        Account? account, string? password, string? clientAddress, CancellationToken cancellationToken)
    {
        if (account is null || string.IsNullOrEmpty(password) || account.LockedForErasureAt is not null)
        {
            // Hash the guess all the same: were an unknown address refused faster than a wrong password, the time of the
            // answer would tell a stranger which addresses have accounts here.
            SpendOneHash(password ?? "");
            return Microsoft.AspNetCore.Identity.SignInResult.Failed;
        }

        if (!account.EmailConfirmed)
        {
            // A sign-up still waiting for its link: "confirm first" only for the right password, so the answer tells
            // nobody else that the address was used.
            return IsRight(account, password)
                ? Microsoft.AspNetCore.Identity.SignInResult.NotAllowed
                : Microsoft.AspNetCore.Identity.SignInResult.Failed;
        }

        var now = clock.GetUtcNow();
        // The lockout is per account and client address: guesses from one address lock that address out of the
        // account, and the owner signing in from anywhere else is not locked out at an attacker's will. The
        // account-wide lockout stays for what locks an account as such (an erasure); the per-address abuse limit bounds
        // how fast any one address can guess at all.
        var result = await IsLockedOutAsync(account.Id, SignInMethods.Password, clientAddress, now, cancellationToken)
            ? Microsoft.AspNetCore.Identity.SignInResult.LockedOut
            : await signIns.CheckPasswordSignInAsync(account, password, lockoutOnFailure: false);
        Record(account.Id, SignInMethods.Password, result.Succeeded, clientAddress, now);
        await db.SaveChangesAsync(cancellationToken);
        return result;
    }

    /// <summary>
    /// Whether <paramref name="password"/> is the account's, with no lockout and no record: for the way through a lockout,
    /// where the answer is given only together with the second factor's (<see cref="SecondFactor"/>).
    /// </summary>
    public bool IsRight(Account account, string? password) =>
        !string.IsNullOrEmpty(password)
        && account.PasswordHash is not null
        && hasher.VerifyHashedPassword(account, account.PasswordHash, password) != PasswordVerificationResult.Failed;

    /// <summary>Stages the record of one check; the caller saves.</summary>
    internal void Record(Guid accountId, string method, bool succeeded, string? clientAddress, DateTimeOffset at) =>
        db.SignIns.Add(new SignInRecord { AccountId = accountId, At = at, Succeeded = succeeded, IpAddress = clientAddress, Method = method });

    /// <summary>
    /// Does the work of checking one password and nothing else, for answers that must take as long whether or not an
    /// account was involved: a refused sign-in, a sign-up with a taken address.
    /// </summary>
    public void SpendOneHash(string password)
    {
        decoyHash ??= hasher.HashPassword(Decoy, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)));
        hasher.VerifyHashedPassword(Decoy, decoyHash, password);
    }

    /// <summary>
    /// Whether the last <see cref="FailuresBeforeLockout"/> checks of <paramref name="method"/> on the account from this
    /// address, all within <see cref="Lockout"/>, failed.
    /// </summary>
    internal async Task<bool> IsLockedOutAsync(Guid accountId, string method, string? address, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var since = now - Lockout;
        var recent = await db.SignIns.AsNoTracking()
            .Where(s => s.AccountId == accountId && s.Method == method && s.IpAddress == address && s.At > since)
            .OrderByDescending(s => s.At)
            .Take(FailuresBeforeLockout)
            .Select(s => s.Succeeded)
            .ToListAsync(cancellationToken);
        return recent.Count == FailuresBeforeLockout && recent.All(succeeded => !succeeded);
    }
}
