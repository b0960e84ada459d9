using System.Security.Cryptography;

namespace Certometer.AppHost;

/// <summary>
/// One ECDSA P-256 key pair per personal-data holder, made in memory when the AppHost starts: each holder signs its
/// answers to PrivacyRights with its private key, and PrivacyRights checks each answer against the public key of the
/// holder it names, so no service on the broker can answer for another.
/// </summary>
/// <remarks>
/// Never written anywhere, and new on every start. An answer still queued in a kept broker when the AppHost stops is
/// therefore refused after the restart, as a forgery would be; PrivacyRights then escalates the holder that seems
/// silent. Production supplies long-lived pairs through the same settings.
/// </remarks>
internal sealed class HolderAnswerKeys
{
    private readonly Dictionary<string, (string Private, string Public)> _pairs = new(StringComparer.Ordinal);

    /// <summary>The holder's private key, PKCS#8 base64: its <c>PersonalData__AnswerSigningKey</c>.</summary>
    public string PrivateKeyOf(string holder) => PairOf(holder).Private;

    /// <summary>The holder's public key, SubjectPublicKeyInfo base64: PrivacyRights' <c>PrivacyRights__HolderKeys__{holder}</c>.</summary>
    public string PublicKeyOf(string holder) => PairOf(holder).Public;

    private (string Private, string Public) PairOf(string holder)
    {
        if (!_pairs.TryGetValue(holder, out var pair))
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            pair = (Convert.ToBase64String(key.ExportPkcs8PrivateKey()), Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()));
            _pairs[holder] = pair;
        }

        return pair;
    }
}
