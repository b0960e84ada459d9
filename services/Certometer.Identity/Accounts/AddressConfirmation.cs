using Certometer.Identity.Profile;

namespace Certometer.Identity.Accounts;

/// <summary>What became of a confirmation link.</summary>
public enum AddressConfirmationOutcome
{
    Confirmed,

    /// <summary>The link is unknown, used, expired, superseded by a later one, or for an account that is gone or locked.</summary>
    InvalidLink,

    /// <summary>Another account took the address between the request and the confirmation.</summary>
    AddressTaken,
}

/// <summary>
/// The one way an address is confirmed, whichever email the link came in: a new account's (<see cref="SignUp"/>) or an
/// address change's (<see cref="EmailChange"/>). An account waiting for its first confirmation cannot sign in, so it
/// never has a change pending as well.
/// </summary>
public sealed class AddressConfirmation(SignUp signUp, EmailChange emailChange)
{
    /// <summary>The page the links lead to.</summary>
    public const string Path = "/account/confirm-email";

    public async Task<AddressConfirmationOutcome> ConfirmAsync(Guid accountId, string? token, CancellationToken cancellationToken) =>
        string.IsNullOrWhiteSpace(token)
            ? AddressConfirmationOutcome.InvalidLink
            : await signUp.ConfirmAsync(accountId, token, cancellationToken) ?? await emailChange.ConfirmAsync(accountId, token, cancellationToken);
}
