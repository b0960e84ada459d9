using Certometer.Contracts.Identity;
using Certometer.Identity.Accounts;
using Certometer.Identity.Data;
using Certometer.Messaging.Outbox;
using Certometer.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Certometer.Identity.Profile;

/// <summary>
/// Moving an account to a new sign-in address. Asked for with the password (by whoever holds a session, not only a
/// stolen token), made only by the owner of the new address opening the link sent there, and announced to the current
/// address; until then every message, privacy notices and one-time codes included, goes to the current address.
/// </summary>
public sealed class EmailChange(
    UserManager<Account> accounts, IdentityDbContext db, TimeProvider clock, IOptions<DataProtectionTokenProviderOptions> links)
{
    public const string CancellationPath = "/account/cancel-email-change";

    /// <summary>Records <paramref name="newEmail"/> as pending and stages the link to it; the caller saves.</summary>
    /// <param name="publicBase">Where this service is reached from outside, for the link.</param>
    public async Task RequestAsync(Account account, string newEmail, Uri publicBase)
    {
        var confirmation = await accounts.GenerateChangeEmailTokenAsync(account, newEmail);
        var cancellation = await accounts.GenerateUserTokenAsync(account, TokenOptions.DefaultProvider, CancellationPurpose(newEmail));
        var now = clock.GetUtcNow();
        account.PendingEmail = newEmail;
        account.PendingEmailExpiresAt = now + links.Value.TokenLifespan;
        db.AddIntegrationEvent(
            new EmailChangeRequested(
                account.Id,
                newEmail,
                PublicLinks.To(publicBase, AddressConfirmation.Path, account.Id, confirmation),
                PublicLinks.To(publicBase, CancellationPath, account.Id, cancellation),
                account.PendingEmailExpiresAt.Value,
                now),
            clock);
    }

    /// <summary>
    /// Stops the pending change from the current address, and voids every link and cookie session made before: whoever
    /// asked for the change knew the password, so the owner's "not me" must leave them nothing to go on with.
    /// </summary>
    public async Task<bool> CancelAsync(Guid accountId, string? token, CancellationToken cancellationToken)
    {
        var account = string.IsNullOrWhiteSpace(token) ? null : await accounts.FindByIdAsync(accountId.ToString());
        if (account is not { PendingEmail: { } newEmail }
            || !await accounts.VerifyUserTokenAsync(account, TokenOptions.DefaultProvider, CancellationPurpose(newEmail), token!))
        {
            return false;
        }

        account.PendingEmail = null;
        account.PendingEmailExpiresAt = null;
        await accounts.UpdateSecurityStampAsync(account);
        return true;
    }

    /// <summary>Makes the pending change the link was sent for, and tells every holder of the address.</summary>
    public async Task<AddressConfirmationOutcome> ConfirmAsync(Guid accountId, string token, CancellationToken cancellationToken)
    {
        try
        {
            // Everything read inside the transaction: the retrying strategy starts each attempt with an empty change
            // tracker, and the account must be the instance ASP.NET Core Identity's own lookups then find.
            return await db.InTransactionAsync(
                async ct =>
                {
                    var account = await accounts.FindByIdAsync(accountId.ToString());
                    if (account is not { PendingEmail: { } newEmail, LockedForErasureAt: null } || account.PendingEmailExpiresAt <= clock.GetUtcNow())
                    {
                        return AddressConfirmationOutcome.InvalidLink;
                    }

                    var owner = await accounts.FindByEmailAsync(newEmail);
                    if (owner is { EmailConfirmed: true } && owner.Id != account.Id)
                    {
                        return AddressConfirmationOutcome.AddressTaken;
                    }

                    if (owner is { EmailConfirmed: false } && await accounts.VerifyUserTokenAsync(
                        account, accounts.Options.Tokens.ChangeEmailTokenProvider, UserManager<Account>.GetChangeEmailTokenPurpose(newEmail), token))
                    {
                        // A sign-up nobody confirmed does not hold the address against its proven owner; nothing was
                        // ever published for it, so deleting it forgets it everywhere.
                        await accounts.DeleteAsync(owner);
                    }

                    var before = RectifiableFields.Of(account);
                    // Checks the token against the address it was made for and the account's security stamp, then sets
                    // the address as confirmed.
                    var changed = await accounts.ChangeEmailAsync(account, newEmail, token);
                    if (!changed.Succeeded)
                    {
                        return changed.Errors.Any(error => error.Code == nameof(IdentityErrorDescriber.DuplicateEmail))
                            ? AddressConfirmationOutcome.AddressTaken
                            : AddressConfirmationOutcome.InvalidLink;
                    }

                    account.UserName = newEmail;
                    account.NormalizedUserName = accounts.NormalizeName(newEmail);
                    account.PendingEmail = null;
                    account.PendingEmailExpiresAt = null;
                    var now = clock.GetUtcNow();
                    db.AddIntegrationEvent(new SubjectDataRectified(account.Id, RectifiableFields.Changes(before, RectifiableFields.Of(account)), now), clock);
                    await db.SaveAndCommitAsync(ct);
                    return AddressConfirmationOutcome.Confirmed;
                },
                cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation())
        {
            return AddressConfirmationOutcome.AddressTaken;
        }
    }

    private static string CancellationPurpose(string newEmail) => $"CancelEmailChange:{newEmail}";
}
