using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Messaging.Outbox;

/// <summary>Stages integration events in a service's outbox, inside whatever transaction the caller's DbContext is in.</summary>
public static class IntegrationEvents
{
    internal static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Adds <paramref name="integrationEvent"/> to the outbox. It is published only after the caller's
    /// <c>SaveChanges</c> (and transaction, if any) commits, and never if it rolls back.
    /// </summary>
    public static Guid AddIntegrationEvent<TEvent>(this DbContext dbContext, TEvent integrationEvent, TimeProvider? clock = null)
        where TEvent : class
    {
        ArgumentNullException.ThrowIfNull(dbContext);
        ArgumentNullException.ThrowIfNull(integrationEvent);

        // The runtime type, not TEvent: an event staged through an object or interface variable must still be
        // published as the contract it is, or no consumer would ever bind to it.
        var eventType = integrationEvent.GetType();
        var now = (clock ?? TimeProvider.System).GetUtcNow();
        var payload = JsonSerializer.Serialize(integrationEvent, eventType, SerializerOptions);
        var message = new OutboxMessage
        {
            Id = Guid.CreateVersion7(now),
            MessageType = TypeNameOf(eventType),
            Payload = payload,
            Mentions = OutboxMentions.In(payload),
            OccurredAt = now,
            AvailableAt = now,
        };
        dbContext.Set<OutboxMessage>().Add(message);
        return message.Id;
    }

    internal static string TypeNameOf(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";
}
