using System.Security.Claims;
using Certometer.Identity.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certometer.Identity.SignIn;

/// <summary>The sign-in form the authorization endpoint sends people to. Plain HTML; works without JavaScript.</summary>
public sealed class LoginModel(
    UserManager<Account> accounts, SignInManager<Account> signIns, PasswordAttempts passwords, SecondFactor secondFactor) : PageModel
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
        if (result.IsLockedOut && account is { TwoFactorEnabled: true })
        {
            // The way through a lockout that someone else caused: the owner's code. Password and code are judged together
            // on the next page, so this address learns nothing about the password from here on.
            return await ToSecondStepAsync(account, passwords.IsRight(account, Password));
        }

        if (!result.Succeeded)
        {
            Error = result.IsNotAllowed ? AwaitingConfirmation : Refused;
            return Page();
        }

        if (await secondFactor.IsNeededAsync(account!))
        {
            return await ToSecondStepAsync(account!, passwordRight: true);
        }

        // What PasswordSignInAsync records, so tokens can say how the person proved who they are.
        await signIns.SignInWithClaimsAsync(account!, isPersistent: false, [new Claim(Auth.StaffSecondFactor.MethodsClaim, SignInMethods.Password)]);
        return BackToApp(this, ReturnUrl);
    }

    /// <summary>Only ever back into this site (normally the authorization endpoint): never an open redirect.</summary>
    internal static IActionResult BackToApp(PageModel page, string? returnUrl) =>
        page.Url.IsLocalUrl(returnUrl) ? page.LocalRedirect(returnUrl) : page.LocalRedirect("/account/signed-in");

    private async Task<IActionResult> ToSecondStepAsync(Account account, bool passwordRight) =>
        LocalRedirect(await secondFactor.BeginAsync(HttpContext, account, passwordRight) + QueryString.Create("ReturnUrl", ReturnUrl ?? ""));
}
