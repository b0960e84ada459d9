namespace Certometer.PrivacyRights.Audit;

/// <summary>
/// An audit entry committed with the change it records but not yet linked into the chain; the appender
/// (<see cref="AuditChainAppender"/>) gives it its sequence and hashes soon after, in <see cref="Order"/>.
/// </summary>
public sealed class PendingAuditEntry
{
    /// <summary>
    /// Drawn from one database sequence as the entry is saved, in the order the change staged its entries (a negative
    /// placeholder until then). Changes of
    /// one request run one after another under its lock, so their entries keep their order in the chain too.
    /// </summary>
    public long Order { get; set; }

    public required Guid RequestId { get; init; }

    public required string Action { get; init; }

    public required string Actor { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    public string? RequestStatus { get; init; }

    public string? RequestStage { get; init; }

    public string? ReceiptDigest { get; init; }
}
