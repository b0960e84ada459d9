using System.Text.Json;
using System.Text.Json.Nodes;
using Certometer.HolderContract.Sealing;
using Certometer.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Certometer.TestInfrastructure;

/// <summary>Reads the integration events a service staged in its outbox, sent or not: what it told the others.</summary>
public static class StagedEvents
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Every staged <typeparamref name="TEvent"/>, oldest first, with sealed personal values opened by the service's own
    /// keyring, as a consumer would read them (values whose key is destroyed stay sealed).
    /// </summary>
    public static async Task<List<TEvent>> StagedEventsAsync<TEvent>(this DbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var payloads = await db.StagedPayloadsAsync<TEvent>(cancellationToken);
        var shape = SealedValues.ShapeOf(typeof(TEvent));
        var keyring = db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider?.GetService<ISubjectKeyring>();
        var events = new List<TEvent>(payloads.Count);
        foreach (var payload in payloads)
        {
            var json = JsonNode.Parse(payload)!.AsObject();
            if (shape is not null && keyring is not null)
            {
                await SealedValues.OpenWithAsync(keyring, json, shape, cancellationToken);
            }

            events.Add(json.Deserialize<TEvent>(Json)!);
        }

        return events;
    }

    /// <summary>The raw payloads of every staged <typeparamref name="TEvent"/>, as stored: what a copy of the outbox holds.</summary>
    public static Task<List<string>> StagedPayloadsAsync<TEvent>(this DbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        // Outbox rows name their type as "Full.Name, Assembly".
        var prefix = typeof(TEvent).FullName + ",";
        return db.Set<OutboxMessage>().AsNoTracking()
            .Where(message => message.MessageType.StartsWith(prefix))
            .OrderBy(message => message.OccurredAt)
            .Select(message => message.Payload)
            .ToListAsync(cancellationToken);
    }
}
