using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using Certometer.Contracts.Privacy;
using Certometer.Messaging;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Certometer.HolderContract.Answers;

/// <summary>The key a holder signs its answers with (section <c>PersonalData</c>).</summary>
public sealed class HolderAnswerSigningOptions
{
    public const string SectionName = "PersonalData";

    /// <summary>This service's own ECDSA P-256 private key, PKCS#8 DER in base64. Secret: whoever holds it can answer for this service.</summary>
    [Required(ErrorMessage = "PersonalData:AnswerSigningKey is required: this service's ECDSA P-256 private key (PKCS#8, base64) that signs every answer it sends PrivacyRights.")]
    public string? AnswerSigningKey { get; set; }
}

/// <summary>Every holder's public key, against which answers are checked (section <c>PrivacyRights</c>).</summary>
public sealed class HolderAnswerVerificationOptions
{
    public const string SectionName = "PrivacyRights";

    /// <summary>
    /// Declared service name to its ECDSA P-256 public key, SubjectPublicKeyInfo DER in base64 (not secret), one per
    /// holder: <c>PrivacyRights:HolderKeys:billing</c>. Every answer naming a service without a key here is refused.
    /// </summary>
    public Dictionary<string, string> HolderKeys { get; } = new(StringComparer.Ordinal);
}

/// <summary>Signs each answer this holder publishes in its own name (<see cref="EnvelopeSignature"/>) and names itself as the signer.</summary>
public sealed class HolderAnswerSigner(IOptions<HolderAnswerSigningOptions> options, PersonalDataInventory inventory) : IOutgoingMessageStamp, IDisposable
{
    private readonly ECDsa _key = EnvelopeSignature.LoadKey(options.Value.AnswerSigningKey!, isPrivate: true);

    public void Stamp<TMessage>(PublishContext<TMessage> context)
        where TMessage : class
    {
        ArgumentNullException.ThrowIfNull(context);
        // Only answers in its own name: one naming another service goes out unsigned and is refused. A service never
        // lends its key to a claim it does not make, whether by a bug or in a test that plays another holder.
        if (context.Message is IPrivacyAnswer answer
            && string.Equals(answer.Service, inventory.Service, StringComparison.Ordinal)
            && EnvelopeSignature.TrySign(context, _key))
        {
            context.Headers.Set(EnvelopeSignature.SignerHeader, inventory.Service);
        }
    }

    public void Dispose() => _key.Dispose();
}

/// <summary>Checks an answer's signature against the key of the service it claims to come from.</summary>
public sealed class HolderAnswerVerifier(IOptions<HolderAnswerVerificationOptions> options) : IDisposable
{
    private readonly Dictionary<string, ECDsa> _keys = options.Value.HolderKeys.ToDictionary(
        entry => entry.Key, entry => EnvelopeSignature.LoadKey(entry.Value, isPrivate: false), StringComparer.Ordinal);

    /// <summary>Whether <paramref name="service"/> is a holder this service has a key for.</summary>
    public bool Knows(string? service) => service is not null && _keys.ContainsKey(service);

    /// <summary>
    /// Accepted only when signed by the key of the very service the answer names, and the signer header names it too:
    /// Billing's genuine key on an answer naming Catalog is as much a forgery as no signature at all.
    /// </summary>
    public bool IsGenuine<TMessage>(ConsumeContext<TMessage> context, IPrivacyAnswer answer)
        where TMessage : class
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(answer);
        return answer.Service is { } claimed
            && string.Equals(context.Headers.Get<string>(EnvelopeSignature.SignerHeader), claimed, StringComparison.Ordinal)
            && _keys.TryGetValue(claimed, out var key)
            && EnvelopeSignature.IsSignedBy(context, key);
    }

    /// <summary>Whether <paramref name="signature"/> over <paramref name="data"/> is by the key of <paramref name="service"/>.</summary>
    internal bool Verifies(string service, byte[] data, ReadOnlySpan<byte> signature) =>
        _keys.TryGetValue(service, out var key) && key.VerifyData(data, signature, HashAlgorithmName.SHA256);

    public void Dispose()
    {
        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }
    }
}
