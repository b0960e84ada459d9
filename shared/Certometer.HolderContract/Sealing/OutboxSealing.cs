using System.Text.Json.Nodes;
using Certometer.Messaging.Outbox;

namespace Certometer.HolderContract.Sealing;

/// <summary>
/// Seals each outgoing event's personal values under its subject's key as the outbox publishes it. At publish time
/// rather than when the change is saved, so that a keyring outage delays messages but never fails a user's request.
/// </summary>
internal sealed class OutboxSealing(ISubjectKeyring keyring) : IOutboxPayloadSealer
{
    public async ValueTask<string?> SealAsync(Type messageType, string payload, CancellationToken cancellationToken)
    {
        if (SealedValues.ShapeOf(messageType) is not { } shape)
        {
            return payload;
        }

        var json = JsonNode.Parse(payload) as JsonObject
            ?? throw new InvalidOperationException($"The outbox payload of a {messageType.Name} is not a JSON object.");
        // An event whose personal values are all absent (an erasure's completion with nobody left to tell) carries
        // nothing to seal, needs no key, and still goes out after the key is destroyed.
        if (!SealedValues.HasPlain(json, shape))
        {
            return payload;
        }

        if (!await SealedValues.SealWithAsync(keyring, json, shape, cancellationToken))
        {
            return null;
        }

        return json.ToJsonString();
    }
}
