using System.ComponentModel.DataAnnotations;

namespace Certometer.PrivacyRights.Requests;

/// <summary>Deadlines for data-subject requests and the key behind every pseudonym PrivacyRights stores.</summary>
public sealed class PrivacyRightsOptions
{
    public const string SectionName = "PrivacyRights";

    /// <summary>
    /// Key for the HMAC that turns subject ids into pseudonyms in the audit log and the consent ledger. Changing it
    /// detaches every existing entry from its subject, so never rotate it casually.
    /// </summary>
    [Required(ErrorMessage = "PrivacyRights:AuditKey is required: the key that pseudonymises subject ids in the audit log and consent ledger (32+ random bytes, base64).")]
    [MinLength(32, ErrorMessage = "PrivacyRights:AuditKey must be at least 32 characters.")]
    public string AuditKey { get; set; } = "";

    /// <summary>
    /// Key for the HMAC that chains the audit log, base64 of 32 or more random bytes; the database never holds it, so
    /// nobody with only the database can rewrite an entry and recompute the hashes after it. Its own setting, not one
    /// derived from <see cref="AuditKey"/>: the pseudonym key may have to be handed to whoever looks up a subject's
    /// entries, and that must not also let them forge the chain. Changing it breaks verification of every entry written
    /// before, so it is rotated only with a new chain (see README, "Audit log").
    /// </summary>
    [Required(ErrorMessage = "PrivacyRights:AuditChainKey is required: the key that chains the audit log, which the database must not hold (32+ random bytes, base64).")]
    public string AuditChainKey { get; set; } = "";

    /// <summary>Whether <see cref="AuditChainKey"/> is base64 of at least 32 bytes.</summary>
    public bool HasUsableAuditChainKey()
    {
        var decoded = new byte[AuditChainKey.Length];
        return Convert.TryFromBase64String(AuditChainKey, decoded, out var length) && length >= 32;
    }

    /// <summary>Time allowed to answer a request; null means one calendar month (GDPR art. 12(3)).</summary>
    public TimeSpan? Deadline { get; set; }

    /// <summary>How far one extension pushes the deadline; null means two calendar months (GDPR art. 12(3)).</summary>
    public TimeSpan? Extension { get; set; }

    public DateTimeOffset DeadlineFrom(DateTimeOffset receivedAt) => Deadline is { } span ? receivedAt + span : receivedAt.AddMonths(1);

    public DateTimeOffset ExtendedFrom(DateTimeOffset deadline) => Extension is { } span ? deadline + span : deadline.AddMonths(2);
}
