using System.Text.Json;
using Certometer.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Certometer.TestInfrastructure;

/// <summary>Reads the integration events a service staged in its outbox, sent or not: what it told the others.</summary>
public static class StagedEvents
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Every staged <typeparamref name="TEvent"/>, oldest first.</summary>
    public static async Task<List<TEvent>> StagedEventsAsync<TEvent>(this DbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        // Outbox rows name their type as "Full.Name, Assembly".
        var prefix = typeof(TEvent).FullName + ",";
        var payloads = await db.Set<OutboxMessage>().AsNoTracking()
            .Where(message => message.MessageType.StartsWith(prefix))
            .OrderBy(message => message.OccurredAt)
            .Select(message => message.Payload)
            .ToListAsync(cancellationToken);
        return [.. payloads.Select(payload => JsonSerializer.Deserialize<TEvent>(payload, Json)!)];
    }
}
