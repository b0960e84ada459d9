using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MassTransit;

namespace Certometer.HolderContract;

/// <summary>
/// The one envelope signature privacy messages carry: ECDSA P-256 (SHA-256) over the message's type name and its
/// canonical JSON, in one header. PrivacyRights signs its commands with it, and every holder its answers.
/// </summary>
/// <remarks>
/// Every service shares the broker, so the broker cannot tell PrivacyRights from a compromised Catalog, nor Billing from
/// Catalog. A signature can: without the right private key no one can order an erasure, or answer for another holder.
/// </remarks>
public static class EnvelopeSignature
{
    public const string Header = "Certometer-Privacy-Signature";

    /// <summary>
    /// On answers: the holder whose key signed it. Commands need none, as PrivacyRights alone signs them.
    /// </summary>
    public const string SignerHeader = "Certometer-Privacy-Signer";

    private static readonly JsonSerializerOptions Canonical = new(JsonSerializerDefaults.Web);

    /// <summary>The signature of <paramref name="message"/> by <paramref name="key"/>, as it goes in <see cref="Header"/>.</summary>
    public static string Sign(ECDsa key, object message)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToBase64String(key.SignData(SignedBytes(message), HashAlgorithmName.SHA256));
    }

    /// <summary>
    /// Signs the message being published, unless it already carries a signature (a test forging one sets its own).
    /// Returns whether it signed.
    /// </summary>
    internal static bool TrySign<TMessage>(PublishContext<TMessage> context, ECDsa key)
        where TMessage : class
    {
        if (context.Headers.TryGetHeader(Header, out _))
        {
            return false;
        }

        context.Headers.Set(Header, Sign(key, context.Message));
        return true;
    }

    /// <summary>Whether the message being consumed carries a valid signature of itself by <paramref name="key"/>.</summary>
    internal static bool IsSignedBy<TMessage>(ConsumeContext<TMessage> context, ECDsa key)
        where TMessage : class
    {
        if (context.Headers.Get<string>(Header) is not { Length: > 0 } header)
        {
            return false;
        }

        var signature = new byte[header.Length];
        return Convert.TryFromBase64String(header, signature, out var length)
            && key.VerifyData(SignedBytes(context.Message), signature.AsSpan(0, length), HashAlgorithmName.SHA256);
    }

    /// <summary>
    /// What is signed: the runtime type's name (so an export request cannot pass for an erasure, nor a lift for a
    /// restriction) and the message's JSON. The runtime type, because MassTransit also runs the publish pipe of each
    /// interface a message implements.
    /// </summary>
    private static byte[] SignedBytes(object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var type = message.GetType();
        return Encoding.UTF8.GetBytes($"{type.Name}\n{JsonSerializer.Serialize(message, type, Canonical)}");
    }

    /// <summary>An ECDSA key from base64 DER: PKCS#8 when <paramref name="isPrivate"/>, else SubjectPublicKeyInfo.</summary>
    public static ECDsa LoadKey(string base64Der, bool isPrivate)
    {
        var key = ECDsa.Create();
        try
        {
            var der = Convert.FromBase64String(base64Der);
            if (isPrivate)
            {
                key.ImportPkcs8PrivateKey(der, out _);
            }
            else
            {
                key.ImportSubjectPublicKeyInfo(der, out _);
            }

            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>Whether <paramref name="base64Der"/> is an ECDSA P-256 key of the kind asked for.</summary>
    internal static bool Parses(string? base64Der, bool isPrivate)
    {
        if (string.IsNullOrWhiteSpace(base64Der))
        {
            return false;
        }

        try
        {
            using var key = LoadKey(base64Der, isPrivate);
            return key.KeySize == 256;
        }
        catch (Exception exception) when (exception is FormatException or CryptographicException)
        {
            return false;
        }
    }
}
