namespace Certometer.Messaging.DeadLetters;

/// <summary>
/// A message this service could not consume, parked in its own database instead of the broker's <c>_error</c> queue:
/// here erasure can find and delete it, retention can expire it, and an operator can replay it.
/// </summary>
public sealed class DeadLetter
{
    public required Guid Id { get; init; }

    /// <summary>The receive queue it came from and is replayed to.</summary>
    public required string Queue { get; init; }

    public Guid? MessageId { get; init; }

    /// <summary>The message's type URNs as the broker carried them, for operators; never the content.</summary>
    public required string MessageType { get; init; }

    /// <summary>The whole serialized message as it arrived: what replay sends back, and what erasure searches.</summary>
    public required string Body { get; init; }

    /// <summary>Why it was parked: the exception's type name (never its message, which may quote values), or "not consumed".</summary>
    public required string Reason { get; init; }

    public required DateTimeOffset ParkedAt { get; init; }

    /// <summary>Set by an operator to send the message back to <see cref="Queue"/>; the row goes once it is sent.</summary>
    public DateTimeOffset? ReplayRequestedAt { get; set; }
}
