using System.Security.Cryptography;
using System.Text;

namespace Certometer.Analytics.Pseudonymity;

/// <summary>
/// Turns a subject id into the only key Analytics ever stores for a signed-in person: HMAC-SHA256 under a secret
/// (<c>Analytics:PseudonymKey</c>), so the database alone cannot be joined back to an account.
/// </summary>
/// <remarks>
/// The key cannot be rotated in place: events stored under the old key would no longer be found for export or erasure.
/// Rotating it means erasing or re-keying every stored pseudonym first.
/// </remarks>
internal sealed class Pseudonyms
{
    public const string KeySetting = "Analytics:PseudonymKey";
    public const int MinimumKeyLength = 32;

    private readonly byte[] _key;

    public Pseudonyms(string key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        _key = Encoding.UTF8.GetBytes(key);
    }

    /// <summary>64 lower-case hex characters; the same subject always gets the same pseudonym under one key.</summary>
    public string Of(Guid subjectId) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(subjectId.ToString("D"))));

    /// <summary>Registers the pseudonym key, refusing to start without one (a service keyed by raw ids would be worse than none).</summary>
    public static IHostApplicationBuilder AddPseudonyms(IHostApplicationBuilder builder)
    {
        var key = builder.Configuration[KeySetting];
        if (string.IsNullOrWhiteSpace(key) || key.Length < MinimumKeyLength)
        {
            throw new InvalidOperationException(
                $"{KeySetting} is missing or shorter than {MinimumKeyLength} characters: set it to a long random secret " +
                "(e.g. base64 of 32 random bytes), kept out of source control outside Development. It keys every pseudonym " +
                "Analytics stores, so keep it stable.");
        }

        builder.Services.AddSingleton(new Pseudonyms(key));
        return builder;
    }
}
