using Certometer.Contracts.Privacy;
using Certometer.Messaging.Inbox;
using Certometer.Notifications.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Notifications.Recipients;

/// <summary>Holds the marketing consent the ledger put in force; a state the ledger recorded earlier never overwrites a later one.</summary>
internal sealed class ConsentsInForceConsumer(NotificationsDbContext db)
    : IdempotentConsumer<ConsentsInForce, NotificationsDbContext>(db)
{
    protected override async Task HandleOnceAsync(ConsumeContext<ConsentsInForce> context, CancellationToken cancellationToken)
    {
        var state = context.Message;
        var settings = await SubjectSettingsStore.GetOrAddAsync(Db, state.SubjectId, cancellationToken);
        settings.Apply(state);
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
