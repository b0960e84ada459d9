using System.ComponentModel.DataAnnotations;

namespace Certometer.PrivacyRights.SubjectKeys;

/// <summary>The master keys that wrap every subject key at rest (section <c>PrivacyRights:SubjectKeys</c>).</summary>
/// <remarks>
/// Rotation: add a new key under a new id, make it <see cref="CurrentMasterKey"/>, restart; new keys are wrapped under it
/// and <see cref="SubjectKeyRewrapping"/> re-wraps the old ones. Remove the old id only once no row names it any more.
/// </remarks>
public sealed class SubjectKeyOptions
{
    public const string SectionName = "PrivacyRights:SubjectKeys";

    /// <summary>Master key id to 256-bit AES key, base64. Secret, and kept apart from the database and its backups.</summary>
    public Dictionary<string, string> MasterKeys { get; } = new(StringComparer.Ordinal);

    /// <summary>The id of the master key new subject keys are wrapped under.</summary>
    [Required(ErrorMessage = "PrivacyRights:SubjectKeys:CurrentMasterKey is required: the id, in PrivacyRights:SubjectKeys:MasterKeys, of the master key (256-bit AES, base64) that wraps subject keys.")]
    public string? CurrentMasterKey { get; set; }

    /// <summary>How many rows a re-wrapping pass takes at once.</summary>
    [Range(1, 10_000)]
    public int RewrapBatchSize { get; set; } = 500;

    public bool IsValid() =>
        CurrentMasterKey is not null
        && MasterKeys.ContainsKey(CurrentMasterKey)
        && MasterKeys.Values.All(key => Convert.TryFromBase64String(key, new byte[32], out var length) && length == 32);
}
