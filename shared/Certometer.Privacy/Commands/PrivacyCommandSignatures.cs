using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Certometer.Contracts.Privacy;
using Certometer.Messaging;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Certometer.Privacy.Commands;

/// <summary>
/// The envelope signature on every <see cref="IPrivacyCommand"/>: ECDSA P-256 over the message's type name and its
/// canonical JSON, in one header. PrivacyRights alone holds the private key; every holder holds the public key.
/// </summary>
/// <remarks>
/// Every service shares the broker, so the broker cannot tell PrivacyRights from a compromised Catalog. A signature
/// can: without the private key no one can order an erasure, a lock or an export, or replay one with another subject.
/// </remarks>
public static class PrivacyCommandSignature
{
    public const string Header = "Certometer-Privacy-Signature";

    private static readonly JsonSerializerOptions Canonical = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// What is signed: the runtime type's name (so an export request cannot pass for an erasure) and the message's JSON.
    /// The runtime type, because MassTransit also runs the publish pipe of each interface a message implements.
    /// </summary>
    internal static byte[] SignedBytes(object command, Type commandType) =>
        Encoding.UTF8.GetBytes($"{commandType.Name}\n{JsonSerializer.Serialize(command, commandType, Canonical)}");

    internal static ECDsa LoadKey(string base64Der, bool isPrivate)
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

/// <summary>PrivacyRights' signing key (section <c>PrivacyRights</c>).</summary>
public sealed class PrivacyCommandSigningOptions
{
    public const string SectionName = "PrivacyRights";

    /// <summary>The ECDSA P-256 private key, PKCS#8 DER in base64. Secret: whoever holds it can order any erasure.</summary>
    [Required(ErrorMessage = "PrivacyRights:CommandSigningKey is required: the ECDSA P-256 private key (PKCS#8, base64) that signs every privacy command.")]
    public string? CommandSigningKey { get; set; }
}

/// <summary>The key every holder checks privacy commands against (section <c>PersonalData</c>).</summary>
public sealed class PrivacyCommandVerificationOptions
{
    public const string SectionName = "PersonalData";

    /// <summary>PrivacyRights' ECDSA P-256 public key, SubjectPublicKeyInfo DER in base64. Not secret.</summary>
    [Required(ErrorMessage = "PersonalData:PrivacyRightsPublicKey is required: PrivacyRights' ECDSA P-256 public key (SubjectPublicKeyInfo, base64), against which privacy commands are checked.")]
    public string? PrivacyRightsPublicKey { get; set; }
}

/// <summary>Signs each privacy command PrivacyRights publishes; registered only in PrivacyRights.</summary>
public sealed class PrivacyCommandSigner(IOptions<PrivacyCommandSigningOptions> options) : IOutgoingMessageStamp, IDisposable
{
    private readonly ECDsa _key = PrivacyCommandSignature.LoadKey(options.Value.CommandSigningKey!, isPrivate: true);

    public void Stamp<TMessage>(PublishContext<TMessage> context)
        where TMessage : class
    {
        ArgumentNullException.ThrowIfNull(context);
        // A header already set is left alone: a test forging a command sets its own.
        if (context.Message is not IPrivacyCommand || context.Headers.TryGetHeader(PrivacyCommandSignature.Header, out _))
        {
            return;
        }

        var signature = _key.SignData(PrivacyCommandSignature.SignedBytes(context.Message, context.Message.GetType()), HashAlgorithmName.SHA256);
        context.Headers.Set(PrivacyCommandSignature.Header, Convert.ToBase64String(signature));
    }

    public void Dispose() => _key.Dispose();
}

/// <summary>Checks a privacy command's signature against PrivacyRights' public key.</summary>
public sealed class PrivacyCommandVerifier(IOptions<PrivacyCommandVerificationOptions> options) : IDisposable
{
    private readonly ECDsa _key = PrivacyCommandSignature.LoadKey(options.Value.PrivacyRightsPublicKey!, isPrivate: false);

    public bool IsGenuine<TMessage>(ConsumeContext<TMessage> context)
        where TMessage : class
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Headers.Get<string>(PrivacyCommandSignature.Header) is not { Length: > 0 } header)
        {
            return false;
        }

        var signature = new byte[header.Length];
        return Convert.TryFromBase64String(header, signature, out var length)
            && _key.VerifyData(
                PrivacyCommandSignature.SignedBytes(context.Message, context.Message.GetType()), signature.AsSpan(0, length), HashAlgorithmName.SHA256);
    }

    public void Dispose() => _key.Dispose();
}
