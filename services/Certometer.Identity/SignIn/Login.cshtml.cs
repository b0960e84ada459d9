using Certometer.Identity.Accounts;
using Certometer.Identity.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certometer.Identity.SignIn;

/// <summary>The sign-in form the authorization endpoint sends people to. Plain HTML; works without JavaScript.</summary>
public sealed class LoginModel(
    UserManager<Account> accounts, SignInManager<Account> signIns, IdentityDbContext db, TimeProvider clock) : PageModel
{
    // One message for an unknown address, a wrong password and a locked account, so the form does not tell a
    // stranger which addresses have accounts here.
    internal const string Refused =
        "That email and password do not match an account that can sign in. After 5 failed attempts an account is locked for 15 minutes.";

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

        var result = await signIns.PasswordSignInAsync(account, Password, isPersistent: false, lockoutOnFailure: true);
        db.SignIns.Add(new SignInRecord
        {
            AccountId = account.Id,
            At = clock.GetUtcNow(),
            Succeeded = result.Succeeded,
            IpAddress = HttpContext.Connection.RemoteIpAddress?.ToString(),
        });
        await db.SaveChangesAsync(cancellationToken);

        if (!result.Succeeded)
        {
            Error = Refused;
            return Page();
        }

        // Only ever back into this site (normally the authorization endpoint): never an open redirect.
        return Url.IsLocalUrl(ReturnUrl) ? LocalRedirect(ReturnUrl) : LocalRedirect("/account/signed-in");
    }
}
