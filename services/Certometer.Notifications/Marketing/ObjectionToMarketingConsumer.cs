using Certometer.Contracts.Privacy;
using Certometer.Messaging.Inbox;
using Certometer.Notifications.Data;
using Certometer.Notifications.Recipients;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Notifications.Marketing;

/// <summary>Stops all marketing to a subject who objected to it: for the person, and for their address even after erasure.</summary>
/// <remarks>
/// Unlike a consent withdrawal, an objection to direct marketing is absolute (GDPR art. 21(3)): a later "yes" to
/// marketing consent does not undo it. The subject flag holds across a change of address; the suppression list holds
/// the address (as a keyed hash) after the subject is erased or registers again.
/// </remarks>
internal sealed class ObjectionToMarketingConsumer(NotificationsDbContext db, AddressHasher hasher)
    : IdempotentConsumer<SubjectObjectedToProcessing, NotificationsDbContext>(db)
{
    protected override async Task HandleOnceAsync(ConsumeContext<SubjectObjectedToProcessing> context, CancellationToken cancellationToken)
    {
        var objection = context.Message;
        if (objection.Purpose != ObjectionPurpose.Marketing)
        {
            return;
        }

        var settings = await SubjectSettingsStore.GetOrAddAsync(Db, objection.SubjectId, cancellationToken);
        settings.MarketingObjectedAt ??= objection.ObjectedAt;

        // Without a recipient there is no address to suppress yet; the subject flag already blocks marketing to them.
        var recipient = await Db.Recipients.AsNoTracking().SingleOrDefaultAsync(r => r.SubjectId == objection.SubjectId, cancellationToken);
        if (recipient is null)
        {
            return;
        }

        var hash = hasher.Hash(recipient.Email);
        if (!await Db.SuppressionList.AnyAsync(s => s.AddressHash == hash, cancellationToken))
        {
            Db.SuppressionList.Add(new SuppressedAddress { AddressHash = hash, Reason = "objected", SuppressedAt = objection.ObjectedAt });
        }
    }
}
