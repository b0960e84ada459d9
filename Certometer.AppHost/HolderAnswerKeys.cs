using System.Security.Cryptography;
using System.Text.Json;

namespace Certometer.AppHost;

/// <summary>
/// One ECDSA P-256 key pair per personal-data holder, made by the AppHost: each holder signs its answers to PrivacyRights
/// with its private key, and PrivacyRights checks each answer against the public key of the holder it names, so no
/// service on the broker can answer for another.
/// </summary>
/// <remarks>
/// A stack that keeps its data keeps its keys too, in a file only the current user may read
/// (<c>~/.local/share/certometer/holder-answer-keys.json</c>): an answer still queued in the kept broker when the AppHost
/// stops must verify after the restart, or the holder that sent it would look silent forever (it answers a request once).
/// A throwaway stack makes its pairs in memory and writes nothing. Production supplies its own pairs through the same settings.
/// </remarks>
internal sealed class HolderAnswerKeys
{
    private readonly Dictionary<string, (string Private, string Public)> _pairs;
    private readonly string? _file;

    private HolderAnswerKeys(string? file)
    {
        _file = file;
        _pairs = file is not null && File.Exists(file)
            ? JsonSerializer.Deserialize<Dictionary<string, string[]>>(File.ReadAllText(file))!
                .ToDictionary(entry => entry.Key, entry => (entry.Value[0], entry.Value[1]), StringComparer.Ordinal)
            : new Dictionary<string, (string Private, string Public)>(StringComparer.Ordinal);
    }

    /// <summary>Kept pairs for a stack that keeps its data, fresh in-memory ones for a throwaway stack.</summary>
    public static HolderAnswerKeys For(InfrastructureSettings infrastructure) =>
        new(infrastructure.PersistData
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "certometer", "holder-answer-keys.json")
            : null);

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
            Save();
        }

        return pair;
    }

    private void Save()
    {
        if (_file is null)
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(_file)!);
        var json = JsonSerializer.Serialize(_pairs.ToDictionary(entry => entry.Key, entry => new[] { entry.Value.Private, entry.Value.Public }));
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var writer = new StreamWriter(_file, options);
        writer.Write(json);
    }
}
