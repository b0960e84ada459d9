using Certometer.Identity.Profile;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certometer.Identity.SignIn;

/// <summary>
/// Where the "not me" link in the notice to the current address leads. Like the confirmation, opening it only asks and
/// the form's POST acts.
/// </summary>
public sealed class CancelEmailChangeModel(EmailChange emailChange) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid? Account { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    public bool? Cancelled { get; private set; }

    public void OnGet()
    {
        if (Account is null || string.IsNullOrWhiteSpace(Token))
        {
            Cancelled = false;
        }
    }

    public async Task OnPostAsync(CancellationToken cancellationToken) =>
        Cancelled = Account is { } account && await emailChange.CancelAsync(account, Token, cancellationToken);
}
