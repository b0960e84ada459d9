using Certometer.Contracts.Identity;
using Certometer.Messaging.Inbox;
using Certometer.Notifications.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Notifications.Recipients;

/// <summary>Records the subject's marketing choice; a choice older than the one in force never overwrites it.</summary>
internal sealed class ConsentChoicesRecordedConsumer(NotificationsDbContext db)
    : IdempotentConsumer<ConsentChoicesRecorded, NotificationsDbContext>(db)
{
    protected override async Task HandleOnceAsync(ConsumeContext<ConsentChoicesRecorded> context, CancellationToken cancellationToken)
    {
        var choice = context.Message;
        var settings = await SubjectSettingsStore.GetOrAddAsync(Db, choice.SubjectId, cancellationToken);
        if (settings.ConsentRecordedAt is null || settings.ConsentRecordedAt < choice.RecordedAt)
        {
            settings.MarketingConsent = choice.Marketing;
            settings.ConsentRecordedAt = choice.RecordedAt;
        }
    }
}

internal static class SubjectSettingsStore
{
    public static async Task<SubjectSettings> GetOrAddAsync(NotificationsDbContext db, Guid subjectId, CancellationToken cancellationToken)
    {
        var settings = await db.SubjectSettings.SingleOrDefaultAsync(s => s.SubjectId == subjectId, cancellationToken);
        if (settings is null)
        {
            settings = new SubjectSettings { SubjectId = subjectId };
            db.SubjectSettings.Add(settings);
        }

        return settings;
    }
}
