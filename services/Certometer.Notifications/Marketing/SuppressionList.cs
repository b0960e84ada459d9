using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Certometer.Notifications.Marketing;

/// <summary>
/// An address that must never receive marketing again, stored only as a keyed hash: it survives the subject's
/// erasure and blocks the address after a re-registration or a re-import, without keeping the address itself.
/// </summary>
public sealed class SuppressedAddress
{
    /// <summary>HMAC-SHA256 of the normalised address, hex.</summary>
    public required string AddressHash { get; init; }

    /// <summary>Why: <c>unsubscribed</c> or <c>objected</c>.</summary>
    public required string Reason { get; init; }

    public DateTimeOffset SuppressedAt { get; init; }
}

/// <summary>The secrets that make addresses unrecognisable and links unforgeable (section <c>Notifications</c>).</summary>
public sealed class NotificationKeysOptions
{
    public const string SectionName = "Notifications";

    /// <summary>Key for the suppression list's address hashes; changing it forgets every suppression, so never rotate it casually.</summary>
    [Required(ErrorMessage = "Notifications:SuppressionKey is required: the key that hashes suppressed addresses (32+ random bytes, base64).")]
    [MinLength(32)]
    public string SuppressionKey { get; set; } = "";

    /// <summary>Key that signs unsubscribe links.</summary>
    [Required(ErrorMessage = "Notifications:LinkSigningKey is required: the key that signs unsubscribe links (32+ random bytes, base64).")]
    [MinLength(32)]
    public string LinkSigningKey { get; set; } = "";

    /// <summary>The public address of this service, for links in emails (e.g. https://api.certometer.example/notifications/).</summary>
    [Required]
    public Uri PublicBaseUrl { get; set; } = new("http://localhost:5104/");

    /// <summary>Where learners check a certificate code; <c>{code}</c> is replaced.</summary>
    [Required]
    public string CertificateCheckUrl { get; set; } = "http://localhost:5102/api/catalog/certificates/{code}";
}

/// <summary>Hashes addresses for the suppression list the same way everywhere.</summary>
public sealed class AddressHasher(IOptions<NotificationKeysOptions> options)
{
    public string Hash(string address)
    {
        // Case and surrounding spaces do not make a different mailbox for anyone we send to.
        var normalised = address.Trim().ToLowerInvariant();
        return Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(options.Value.SuppressionKey), Encoding.UTF8.GetBytes(normalised)));
    }
}
