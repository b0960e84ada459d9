using System.ComponentModel.DataAnnotations;

namespace Certometer.Notifications.PolicyNotices;

/// <summary>
/// Telling every known recipient about one published policy version, batch by batch. The cursor is the last recipient
/// reached, so a restart carries on where the last committed batch ended instead of starting again.
/// </summary>
public sealed class PolicyNoticeRun
{
    public required string Version { get; init; }

    public required DateTimeOffset EffectiveAt { get; init; }

    public required string SummaryOfChanges { get; init; }

    public required DateTimeOffset PublishedAt { get; init; }

    /// <summary>With <see cref="LastSubjectId"/>, the recipient (in registration order) the last committed batch ended with.</summary>
    public DateTimeOffset? LastCreatedAt { get; set; }

    public Guid? LastSubjectId { get; set; }

    public int NoticesQueued { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }
}

/// <summary>How policy change notices are fanned out (section <c>PolicyNotices</c>).</summary>
public sealed class PolicyNoticeOptions
{
    public const string SectionName = "PolicyNotices";

    /// <summary>Recipients queued per transaction: bounds memory and lock time however large the recipient table is.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 500;

    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}
