using Certometer.Identity.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certometer.Identity.SignIn;

/// <summary>The second step of signing in: the authenticator code, or a recovery code, after the password.</summary>
public sealed class SecondFactorModel(SecondFactor secondFactor, SignInManager<Account> signIns) : PageModel
{
    internal const string Refused = "That password and code do not match. Sign in again if the code keeps failing; codes change every 30 seconds.";

    internal static readonly string TooManyWrongCodes =
        $"Too many wrong codes from this address; try again in {PasswordAttempts.Lockout.TotalMinutes:0} minutes.";

    [BindProperty]
    public string? Code { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync() =>
        await secondFactor.PendingAsync(HttpContext) is null ? RedirectToLogin() : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await secondFactor.PendingAsync(HttpContext) is not var (account, passwordRight) || !account.TwoFactorEnabled)
        {
            return RedirectToLogin();
        }

        var outcome = await secondFactor.CheckAsync(
            account, passwordRight, Code, allowRecoveryCode: true, HttpContext.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        switch (outcome)
        {
            case CodeOutcome.Accepted:
                await secondFactor.SignInAsync(HttpContext, signIns, account);
                return LoginModel.BackToApp(this, ReturnUrl);
            case CodeOutcome.LockedOut:
                Error = TooManyWrongCodes;
                return Page();
            default:
                Error = Refused;
                return Page();
        }
    }

    private RedirectToPageResult RedirectToLogin() => RedirectToPage("Login", new { ReturnUrl });
}
