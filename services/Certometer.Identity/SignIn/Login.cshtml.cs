using Certometer.Identity.Accounts;
using Certometer.Identity.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Identity.SignIn;

/// <summary>The sign-in form the authorization endpoint sends people to. Plain HTML; works without JavaScript.</summary>
public sealed class LoginModel(
    UserManager<Account> accounts, SignInManager<Account> signIns, IdentityDbContext db, TimeProvider clock) : PageModel
{
    // One message for an unknown address, a wrong password and a locked account, so the form does not tell a
    // stranger which addresses have accounts here.
    internal const string Refused =
        "That email and password do not match an account that can sign in. After 5 failed attempts an account is locked for 15 minutes.";

    internal const int FailuresBeforeLockout = 5;

    internal static readonly TimeSpan Lockout = TimeSpan.FromMinutes(15);

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var account = string.IsNullOrWhiteSpace(Email) ? null : await accounts.FindByEmailAsync(Email.Trim());
        if (account is null || string.IsNullOrEmpty(Password) || account.LockedForErasureAt is not null)
        {
            Error = Refused;
            return Page();
        }

        var address = HttpContext.Connection.RemoteIpAddress?.ToString();
        var now = clock.GetUtcNow();
        // The lockout is per account and client address: guesses from one address lock that address out of the
        // account, and the owner signing in from anywhere else is not locked out at an attacker's will. The
        // account-wide lockout stays for what locks an account as such (an erasure); the per-address abuse limit bounds
        // how fast any one address can guess at all.
        var result = await IsLockedOutAsync(account.Id, address, now, cancellationToken)
            ? Microsoft.AspNetCore.Identity.SignInResult.LockedOut
            : await signIns.PasswordSignInAsync(account, Password, isPersistent: false, lockoutOnFailure: false);
        db.SignIns.Add(new SignInRecord { AccountId = account.Id, At = now, Succeeded = result.Succeeded, IpAddress = address });
        await db.SaveChangesAsync(cancellationToken);

        if (!result.Succeeded)
        {
            Error = Refused;
            return Page();
        }

        // Only ever back into this site (normally the authorization endpoint): never an open redirect.
        return Url.IsLocalUrl(ReturnUrl) ? LocalRedirect(ReturnUrl) : LocalRedirect("/account/signed-in");
    }

    /// <summary>Whether the last <see cref="FailuresBeforeLockout"/> attempts on the account from this address, all within <see cref="Lockout"/>, failed.</summary>
    private async Task<bool> IsLockedOutAsync(Guid accountId, string? address, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var since = now - Lockout;
        var recent = await db.SignIns.AsNoTracking()
            .Where(s => s.AccountId == accountId && s.IpAddress == address && s.At > since)
            .OrderByDescending(s => s.At)
            .Take(FailuresBeforeLockout)
            .Select(s => s.Succeeded)
            .ToListAsync(cancellationToken);
        return recent.Count == FailuresBeforeLockout && recent.All(succeeded => !succeeded);
    }
}
