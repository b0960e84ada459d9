namespace Certometer.PrivacyRights.Audit;

/// <summary>One link of the tamper-evident audit chain: an action on a request, by a pseudonymous actor.</summary>
public sealed class AuditEntry
{
    /// <summary>Position in the one chain, gap-free from 1: a missing number is itself evidence of tampering.</summary>
    public required long Sequence { get; set; }

    public required Guid RequestId { get; init; }

    public required string Action { get; init; }

    /// <summary>HMAC of the acting subject's id; never the id, name or email, so erasure never has to touch the chain.</summary>
    public required string Actor { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>
    /// The request's status as it stood when the entry was written, so the request row cannot be moved on (or back)
    /// without the chain contradicting it. Null for entries about no request (registry changes).
    /// </summary>
    public string? RequestStatus { get; init; }

    /// <summary>The request's workflow stage as it stood when the entry was written; null like <see cref="RequestStatus"/>.</summary>
    public string? RequestStage { get; init; }

    /// <summary>
    /// SHA-256 of the holder's answer (its receipt) in canonical JSON, for entries that record one: the receipt kept in
    /// <c>holder_steps</c> must still hash to this, and this is under the chain's key.
    /// </summary>
    public string? ReceiptDigest { get; init; }

    public required string PreviousHash { get; set; }

    /// <summary>HMAC-SHA256, under <c>PrivacyRights:AuditChainKey</c>, of every field above; set once, as the entry is staged.</summary>
    public string Hash { get; internal set; } = "";
}
