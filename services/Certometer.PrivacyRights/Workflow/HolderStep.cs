namespace Certometer.PrivacyRights.Workflow;

/// <summary>
/// One declared holder's part in one request: when it was asked, how often, and its answer. The set of steps is the
/// registry as it stood when the holders were asked, so a request waits for exactly those holders.
/// </summary>
public sealed class HolderStep
{
    public required Guid RequestId { get; init; }

    public required string Service { get; init; }

    public required DateTimeOffset FirstAskedAt { get; init; }

    public DateTimeOffset LastAskedAt { get; set; }

    /// <summary>When the holder, still silent, is asked again (<see cref="WorkflowOptions.NextAskAt"/>).</summary>
    public DateTimeOffset NextAskAt { get; set; }

    public int Attempts { get; set; }

    /// <summary>Set when the holder stayed silent after the configured number of attempts; it is still asked.</summary>
    public DateTimeOffset? EscalatedAt { get; set; }

    public DateTimeOffset? AnsweredAt { get; set; }

    /// <summary>
    /// The holder's answer as JSON: the erasure receipt, or for an export the record count (the part itself waits in
    /// <see cref="Access.ExportPart"/> until the package is compiled). Personal data never appears here.
    /// </summary>
    public string? Answer { get; set; }
}
