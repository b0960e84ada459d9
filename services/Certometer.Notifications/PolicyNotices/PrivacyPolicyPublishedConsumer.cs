using Certometer.Contracts.Privacy;
using Certometer.Messaging.Inbox;
using Certometer.Notifications.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Notifications.PolicyNotices;

/// <summary>Starts telling every recipient about a new policy version; the notices themselves are queued by <see cref="PolicyNoticeFanOut"/>.</summary>
/// <remarks>
/// Queuing a notice per recipient here would load the whole recipient table into one transaction. This only records
/// the run, once per version even when the event arrives twice under different message ids.
/// </remarks>
internal sealed class PrivacyPolicyPublishedConsumer(NotificationsDbContext db)
    : IdempotentConsumer<PrivacyPolicyPublished, NotificationsDbContext>(db)
{
    protected override Task HandleOnceAsync(ConsumeContext<PrivacyPolicyPublished> context, CancellationToken cancellationToken)
    {
        var policy = context.Message;
        return Db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO policy_notice_runs (version, effective_at, summary_of_changes, published_at, notices_queued)
            VALUES ({policy.Version}, {policy.EffectiveAt}, {policy.SummaryOfChanges}, {policy.PublishedAt}, 0)
            ON CONFLICT (version) DO NOTHING
            """,
            cancellationToken);
    }
}
