using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using Certometer.Contracts.Privacy;
using Certometer.Messaging;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Certometer.HolderContract.Commands;

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

/// <summary>
/// Signs each privacy command PrivacyRights publishes (<see cref="EnvelopeSignature"/>); registered only in PrivacyRights.
/// PrivacyRights alone holds the private key; every holder holds the public key, so without it no one can order an
/// erasure, a lock or an export, or replay one with another subject.
/// </summary>
public sealed class PrivacyCommandSigner(IOptions<PrivacyCommandSigningOptions> options) : IOutgoingMessageStamp, IDisposable
{
    private readonly ECDsa _key = EnvelopeSignature.LoadKey(options.Value.CommandSigningKey!, isPrivate: true);

    public void Stamp<TMessage>(PublishContext<TMessage> context)
        where TMessage : class
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Message is IPrivacyCommand)
        {
            EnvelopeSignature.TrySign(context, _key);
        }
    }

    public void Dispose() => _key.Dispose();
}

/// <summary>Checks a privacy command's signature against PrivacyRights' public key.</summary>
public sealed class PrivacyCommandVerifier(IOptions<PrivacyCommandVerificationOptions> options) : IDisposable
{
    private readonly ECDsa _key = EnvelopeSignature.LoadKey(options.Value.PrivacyRightsPublicKey!, isPrivate: false);

    public bool IsGenuine<TMessage>(ConsumeContext<TMessage> context)
        where TMessage : class
    {
        ArgumentNullException.ThrowIfNull(context);
        return EnvelopeSignature.IsSignedBy(context, _key);
    }

    public void Dispose() => _key.Dispose();
}
