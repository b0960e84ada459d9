using System.Security.Claims;
using Certometer.Identity.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certometer.Identity.SignIn;

/// <summary>The sign-in form the authorization endpoint sends people to. Plain HTML; works without JavaScript.</summary>
public sealed class LoginModel(UserManager<Account> accounts, SignInManager<Account> signIns, PasswordAttempts passwords) : PageModel
{
    // One message for an unknown address, a wrong password and a locked account, so the form does not tell a
    // stranger which addresses have accounts here.
    internal const string Refused =
        "That email and password do not match an account that can sign in. After 5 failed attempts an account is locked for 15 minutes.";

    internal const string AwaitingConfirmation =
        "Confirm your email address first: open the link in the email we sent when you signed up. No email? Sign up again to get a new link.";

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
        var result = await passwords.CheckAsync(account, Password, HttpContext.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        if (!result.Succeeded)
        {
            Error = result.IsNotAllowed ? AwaitingConfirmation : Refused;
            return Page();
        }

        // What PasswordSignInAsync records, so tokens can say how the person proved who they are.
        await signIns.SignInWithClaimsAsync(account!, isPersistent: false, [new Claim("amr", "pwd")]);
        // Only ever back into this site (normally the authorization endpoint): never an open redirect.
        return Url.IsLocalUrl(ReturnUrl) ? LocalRedirect(ReturnUrl) : LocalRedirect("/account/signed-in");
    }
}
