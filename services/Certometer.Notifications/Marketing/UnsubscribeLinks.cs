using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Certometer.Notifications.Marketing;

/// <summary>
/// Signed unsubscribe links: the token names the suppressed address's hash and carries an HMAC over it, so it works
/// without signing in, cannot be forged for another address, and holds no readable personal data.
/// </summary>
public sealed class UnsubscribeLinks(IOptions<NotificationKeysOptions> options)
{
    private const int SignatureBytes = 16;

    public string CreateUrl(string addressHash) =>
        new Uri(options.Value.PublicBaseUrl, $"api/notifications/unsubscribe?token={CreateToken(addressHash)}").AbsoluteUri;

    public string CreateToken(string addressHash)
    {
        var hash = Convert.FromHexString(addressHash);
        return WebEncoders.Base64UrlEncode([.. hash, .. Sign(hash)]);
    }

    /// <returns>The address hash the token was issued for, or null when it is malformed or not ours.</returns>
    public string? Verify(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 200)
        {
            return null;
        }

        byte[] bytes;
        try
        {
            bytes = WebEncoders.Base64UrlDecode(token);
        }
        catch (FormatException)
        {
            return null;
        }

        if (bytes.Length != SHA256.HashSizeInBytes + SignatureBytes)
        {
            return null;
        }

        var hash = bytes[..SHA256.HashSizeInBytes];
        return CryptographicOperations.FixedTimeEquals(bytes.AsSpan(SHA256.HashSizeInBytes), Sign(hash)) ? Convert.ToHexString(hash) : null;
    }

    private byte[] Sign(byte[] addressHash)
    {
        byte[] purposeAndHash = [.. "unsubscribe:"u8, .. addressHash];
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(options.Value.LinkSigningKey), purposeAndHash).AsSpan(0, SignatureBytes).ToArray();
    }
}
