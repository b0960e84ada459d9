using Certometer.Identity.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certometer.Identity.SignIn;

/// <summary>
/// Where staff without an authenticator go after the right password: the key to add to an app, one code to prove it
/// works, then the recovery codes, shown once.
/// </summary>
public sealed class EnrolSecondFactorModel(SecondFactor secondFactor, SignInManager<Account> signIns) : PageModel
{
    [BindProperty]
    public string? Code { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public string? FormattedKey { get; private set; }

    public string? AuthenticatorUri { get; private set; }

    public IReadOnlyList<string>? RecoveryCodes { get; private set; }

    public string ContinueUrl => Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/account/signed-in";

    public async Task<IActionResult> OnGetAsync() =>
        await EnrollingAsync() is { } account ? await ShowKeyAsync(account) : RedirectToPage("Login", new { ReturnUrl });

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await EnrollingAsync() is not { } account)
        {
            return RedirectToPage("Login", new { ReturnUrl });
        }

        var outcome = await secondFactor.CheckAsync(
            account, passwordRight: true, Code, allowRecoveryCode: false, HttpContext.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        if (outcome != CodeOutcome.Accepted)
        {
            Error = outcome == CodeOutcome.LockedOut
                ? SecondFactorModel.TooManyWrongCodes
                : "That is not the code the app shows for this key. Check the device's clock, and that the key was typed in full.";
            return await ShowKeyAsync(account);
        }

        RecoveryCodes = await secondFactor.CompleteEnrolmentAsync(account);
        await secondFactor.SignInAsync(HttpContext, signIns, account);
        return Page();
    }

    /// <summary>The account enrolling: after the right password, and not enrolled yet (else its code is asked for instead).</summary>
    private async Task<Account?> EnrollingAsync() =>
        await secondFactor.PendingAsync(HttpContext) is ({ TwoFactorEnabled: false } account, true) ? account : null;

    private async Task<PageResult> ShowKeyAsync(Account account)
    {
        var key = await secondFactor.KeyForEnrolmentAsync(account);
        FormattedKey = string.Join(' ', key.Chunk(4).Select(group => new string(group))).ToLowerInvariant();
        AuthenticatorUri = SecondFactor.AuthenticatorUri(account.Email!, key);
        return Page();
    }
}
