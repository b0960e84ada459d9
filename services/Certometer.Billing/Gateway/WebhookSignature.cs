using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Certometer.Billing.Gateway;

/// <summary>
/// The gateway's webhook signature: header <c>Gateway-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "t.body"&gt;</c>.
/// Signing the timestamp with the body lets the receiver refuse an old, captured webhook even when its body is genuine.
/// </summary>
public static class WebhookSignature
{
    public const string HeaderName = "Gateway-Signature";

    public static string Sign(string secret, DateTimeOffset timestamp, string body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(body);
        var seconds = timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"t={seconds},v1={Convert.ToHexStringLower(Mac(secret, seconds, body))}";
    }

    /// <summary>Checks the header against the body; a valid signature whose timestamp is outside the tolerance fails too.</summary>
    public static WebhookVerification Verify(string secret, string? header, string body, DateTimeOffset now, TimeSpan tolerance)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(body);
        string? seconds = null;
        var signatures = new List<byte[]>();
        foreach (var part in (header ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var pair = part.Split('=', 2);
            if (pair.Length != 2)
            {
                continue;
            }

            if (pair[0] == "t")
            {
                seconds = pair[1];
            }
            else if (pair[0] == "v1" && TryFromHex(pair[1], out var signature))
            {
                signatures.Add(signature);
            }
        }

        if (seconds is null || signatures.Count == 0 || !long.TryParse(seconds, NumberStyles.None, CultureInfo.InvariantCulture, out var unix))
        {
            return WebhookVerification.Malformed;
        }

        var expected = Mac(secret, seconds, body);
        // Several v1 values are allowed so the gateway can sign with an old and a new secret while they are rotated.
        if (!signatures.Any(signature => CryptographicOperations.FixedTimeEquals(signature, expected)))
        {
            return WebhookVerification.BadSignature;
        }

        if (unix < DateTimeOffset.MinValue.ToUnixTimeSeconds() || unix > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return WebhookVerification.OutsideTolerance;
        }

        var age = now - DateTimeOffset.FromUnixTimeSeconds(unix);
        return age.Duration() > tolerance ? WebhookVerification.OutsideTolerance : WebhookVerification.Valid;
    }

    private static byte[] Mac(string secret, string seconds, string body) =>
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{seconds}.{body}"));

    private static bool TryFromHex(string hex, out byte[] bytes)
    {
        bytes = [];
        if (hex.Length != 64)
        {
            return false;
        }

        try
        {
            bytes = Convert.FromHexString(hex);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

/// <summary>Why a webhook was or was not accepted.</summary>
public enum WebhookVerification
{
    Valid,
    Malformed,
    BadSignature,
    OutsideTolerance,
}
