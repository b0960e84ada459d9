namespace Certometer.PrivacyRights.Consents;

/// <summary>One consent choice as the subject made it; the ledger is only ever appended to (GDPR art. 7(1)).</summary>
public sealed class ConsentLedgerEntry
{
    public long Id { get; init; }

    public required string SubjectPseudonym { get; init; }

    /// <summary><c>marketing</c> or <c>analytics</c>.</summary>
    public required string Kind { get; init; }

    public required bool Given { get; init; }

    public required string Source { get; init; }

    /// <summary>The privacy policy version in force when the choice was made; null when none had taken effect yet.</summary>
    public string? PolicyVersion { get; init; }

    public required DateTimeOffset RecordedAt { get; init; }

    /// <summary>Position among the subject's entries, from 1, in the order the ledger recorded them.</summary>
    public required long Sequence { get; init; }

    /// <summary>
    /// False for a registration choice that reached the ledger after the subject had already chosen elsewhere: kept as
    /// history, never put in force over the later choice.
    /// </summary>
    public required bool TookEffect { get; init; }
}
