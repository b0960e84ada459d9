using Certometer.Identity.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certometer.Identity.SignIn;

/// <summary>Ends the sign-in session on this site. A POST, so another site cannot sign someone out with a link.</summary>
public sealed class LogoutModel(SignInManager<Account> signIns) : PageModel
{
    public bool SignedOut { get; private set; }

    public void OnGet()
    {
    }

    public async Task OnPostAsync()
    {
        await signIns.SignOutAsync();
        SignedOut = true;
    }
}
