namespace Certometer.Messaging.Inbox;

/// <summary>A message a consumer has already applied, recorded in the same transaction as its effect.</summary>
public sealed class InboxMessage
{
    public Guid MessageId { get; init; }

    /// <summary>The consumer that applied it: one message may be applied once by each consumer of a service.</summary>
    public required string Consumer { get; init; }

    public DateTimeOffset ProcessedAt { get; init; }
}
