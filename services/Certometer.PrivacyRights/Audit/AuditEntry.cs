namespace Certometer.PrivacyRights.Audit;

/// <summary>One link of the tamper-evident audit chain: an action on a request, by a pseudonymous actor.</summary>
public sealed class AuditEntry
{
    /// <summary>Position in the one chain, gap-free from 1: a missing number is itself evidence of tampering.</summary>
    public required long Sequence { get; init; }

    public required Guid RequestId { get; init; }

    public required string Action { get; init; }

    /// <summary>HMAC of the acting subject's id; never the id, name or email, so erasure never has to touch the chain.</summary>
    public required string Actor { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    public required string PreviousHash { get; init; }

    public required string Hash { get; init; }
}
