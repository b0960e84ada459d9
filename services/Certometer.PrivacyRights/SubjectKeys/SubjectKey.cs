namespace Certometer.PrivacyRights.SubjectKeys;

/// <summary>
/// One subject's sealing key, wrapped under a master key, and keyed by the subject's tombstone pseudonym (an HMAC of the
/// id, never the id). Once destroyed the row stays, without its key, so no publisher can make the subject a new one.
/// </summary>
public sealed class SubjectKey
{
    public required byte[] Pseudonym { get; init; }

    /// <summary>Nonce, tag and ciphertext of the key under <see cref="MasterKeyId"/>; null once destroyed.</summary>
    public byte[]? WrappedKey { get; set; }

    public string? MasterKeyId { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? DestroyedAt { get; set; }
}
