using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Certometer.PrivacyRights.Requests;
using Microsoft.Extensions.Options;

namespace Certometer.PrivacyRights.Intake;

/// <summary>Makes one-time codes and the keyed hashes that are all PrivacyRights ever stores of them.</summary>
/// <remarks>
/// Keyed with the audit key (under its own label), so a copy of the database alone cannot try the million codes
/// against a hash; bound to the verification id, so one hash says nothing about another.
/// </remarks>
public sealed class VerificationCodes(IOptions<PrivacyRightsOptions> options)
{
    public const int Digits = 6;
    private readonly byte[] _key = Encoding.UTF8.GetBytes(options.Value.AuditKey);

    public static string NewCode() =>
        RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);

    public string HashOf(Guid verificationId, string code) => Convert.ToHexStringLower(Hash(verificationId, code));

    /// <summary>Compares in constant time, so response timing reveals nothing about how close a guess was.</summary>
    public bool Matches(Guid verificationId, string code, string storedHash) =>
        storedHash.Length == SHA256.HashSizeInBytes * 2
        && CryptographicOperations.FixedTimeEquals(Hash(verificationId, code), Convert.FromHexString(storedHash));

    private byte[] Hash(Guid verificationId, string code) =>
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"request-verification:{verificationId:D}:{code}"));
}
