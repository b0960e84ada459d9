using Certometer.Contracts.Privacy;
using Certometer.Messaging.Inbox;
using Certometer.PrivacyRights.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Certometer.PrivacyRights.Intake;

/// <summary>Learns from Identity whose account a pending verification's address belongs to; only then can its code succeed.</summary>
internal sealed class PrivacyRequesterIdentifiedConsumer(PrivacyRightsDbContext db)
    : IdempotentConsumer<PrivacyRequesterIdentified, PrivacyRightsDbContext>(db)
{
    protected override async Task HandleOnceAsync(ConsumeContext<PrivacyRequesterIdentified> context, CancellationToken cancellationToken)
    {
        var identified = context.Message;
        var verification = await Db.RequestVerifications.SingleOrDefaultAsync(v => v.Id == identified.VerificationId, cancellationToken);
        // Already forgotten (long expired) or already used: there is nothing left to attach the subject to.
        if (verification is null || verification.UsedAt is not null)
        {
            return;
        }

        verification.SubjectId ??= identified.SubjectId;
    }
}
