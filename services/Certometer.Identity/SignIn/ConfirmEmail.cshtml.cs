using Certometer.Identity.Profile;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certometer.Identity.SignIn;

/// <summary>
/// Where the link in an address-change email leads. Opening it only asks; the change happens on the form's POST, so a
/// mail scanner that fetches every link in a message does not confirm on the person's behalf.
/// </summary>
public sealed class ConfirmEmailModel(EmailChange emailChange) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid? Account { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    public EmailChangeOutcome? Outcome { get; private set; }

    public void OnGet()
    {
        if (Account is null || string.IsNullOrWhiteSpace(Token))
        {
            Outcome = EmailChangeOutcome.InvalidLink;
        }
    }

    public async Task OnPostAsync(CancellationToken cancellationToken) =>
        Outcome = Account is { } account
            ? await emailChange.ConfirmAsync(account, Token, cancellationToken)
            : EmailChangeOutcome.InvalidLink;
}
