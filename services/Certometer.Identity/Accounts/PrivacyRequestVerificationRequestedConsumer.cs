using Certometer.Contracts.Privacy;
using Certometer.Identity.Data;
using Certometer.Messaging.Inbox;
using Certometer.Messaging.Outbox;
using MassTransit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Identity.Accounts;

/// <summary>
/// Finds the account for an address typed by someone making a privacy request without signing in. Only if one has
/// it (regardless of case) is the code emailed, to the account's own address, and PrivacyRights told whose it is;
/// (a sign-up still waiting for its link is nobody's account yet) otherwise nothing happens at all, so the requester learns nothing about which addresses have accounts.
/// </summary>
internal sealed class PrivacyRequestVerificationRequestedConsumer(IdentityDbContext db, ILookupNormalizer normalizer, TimeProvider clock)
    : IdempotentConsumer<PrivacyRequestVerificationRequested, IdentityDbContext>(db)
{
    protected override async Task HandleOnceAsync(ConsumeContext<PrivacyRequestVerificationRequested> context, CancellationToken cancellationToken)
    {
        var requested = context.Message;
        var now = clock.GetUtcNow();
        // A code that can no longer be used is not worth an email.
        if (requested.ExpiresAt <= now)
        {
            return;
        }

        var normalized = normalizer.NormalizeEmail(requested.Email.Trim());
        var account = await Db.Users.AsNoTracking()
            .Where(a => a.NormalizedEmail == normalized && a.EmailConfirmed && a.LockedForErasureAt == null)
            .Select(a => new { a.Id, a.Email, a.Name, a.PreferredLanguage })
            .FirstOrDefaultAsync(cancellationToken);
        if (account?.Email is null)
        {
            return;
        }

        Db.AddIntegrationEvent(
            new PrivacyRequestVerificationCodeAddressed(
                requested.VerificationId, account.Id, account.Email, account.Name, account.PreferredLanguage, requested.Kind, requested.Code, requested.ExpiresAt),
            clock);
        Db.AddIntegrationEvent(new PrivacyRequesterIdentified(requested.VerificationId, account.Id, now), clock);
    }
}
