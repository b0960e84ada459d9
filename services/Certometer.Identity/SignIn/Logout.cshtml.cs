using Certometer.Identity.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certometer.Identity.SignIn;

/// <summary>
/// Asks before ending the sign-in session, and ends it only on the form's POST, so another site cannot sign someone out
/// with a link. Reached directly, or from an app's sign-out request (<c>GET /connect/endsession</c>), whose parameters the
/// form posts back to the end-session endpoint so the app gets its redirect.
/// </summary>
public sealed class LogoutModel(SignInManager<Account> signIns) : PageModel
{
    public const string PagePath = "/account/logout";

    public const string EndSessionPath = "/connect/endsession";

    public bool SignedOut { get; private set; }

    /// <summary>The end-session request's parameters, when an app sent the browser here; empty otherwise.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> EndSessionParameters { get; private set; } = [];

    public void OnGet() =>
        EndSessionParameters = [.. Request.Query.SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string>(p.Key, v ?? "")))];

    public async Task OnPostAsync()
    {
        await signIns.SignOutAsync();
        SignedOut = true;
    }
}
