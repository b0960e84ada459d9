using Certometer.Identity.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certometer.Identity.SignIn;

/// <summary>
/// Where the link in a sign-up or address-change email leads. Opening it only asks; the confirmation happens on the form's POST, so a
/// mail scanner that fetches every link in a message does not confirm on the person's behalf.
/// </summary>
public sealed class ConfirmEmailModel(AddressConfirmation confirmation) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid? Account { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    public AddressConfirmationOutcome? Outcome { get; private set; }

    public void OnGet()
    {
        if (Account is null || string.IsNullOrWhiteSpace(Token))
        {
            Outcome = AddressConfirmationOutcome.InvalidLink;
        }
    }

    public async Task OnPostAsync(CancellationToken cancellationToken) =>
        Outcome = Account is { } account
            ? await confirmation.ConfirmAsync(account, Token, cancellationToken)
            : AddressConfirmationOutcome.InvalidLink;
}
