namespace Certometer.Messaging.Outbox;

/// <summary>
/// Seals an outbox row's payload just before it is published, so what reaches the broker, and what the row keeps once
/// sent, is unreadable without a key the sealer controls. Optional: without one, payloads go out as staged.
/// </summary>
public interface IOutboxPayloadSealer
{
    /// <summary>
    /// The payload to publish and keep in place of <paramref name="payload"/> (the same text when nothing in it needs
    /// sealing), or null when it must never be published: its key is gone, so no one may read it any more.
    /// </summary>
    ValueTask<string?> SealAsync(Type messageType, string payload, CancellationToken cancellationToken);
}
