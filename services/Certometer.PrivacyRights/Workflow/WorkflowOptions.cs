using Certometer.Contracts.Privacy;

namespace Certometer.PrivacyRights.Workflow;

/// <summary>How patiently the workflow waits on holders, and how long an erasure can still be called off.</summary>
public sealed class WorkflowOptions
{
    public const string SectionName = "PrivacyRights:Workflow";

    /// <summary>
    /// How long after it was made an approved erasure waits before it starts, so the subject can still cancel it.
    /// Zero starts it at approval.
    /// </summary>
    public TimeSpan ErasureCoolingOff { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// How long a holder (or Identity, for the account lock) may stay silent before it is asked again. Each further ask
    /// waits twice as long as the one before, up to <see cref="MaxAnswerTimeout"/>: a holder that is down for a day is
    /// asked a dozen times, not seven hundred.
    /// </summary>
    public TimeSpan AnswerTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The longest wait between two asks of a silent holder.</summary>
    public TimeSpan MaxAnswerTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>After this many unanswered asks the step is escalated to compliance staff; asking goes on.</summary>
    public int EscalateAfterAttempts { get; set; } = 3;

    /// <summary>How often the workflow looks for work that is due: cooled-off erasures and silent holders.</summary>
    public TimeSpan ClockInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a completed request waits to hear that the subject was told before it closes anyway (recording that they
    /// were not), so that a relay that never answers cannot keep the subject's id and address here for ever.
    /// </summary>
    public TimeSpan NoticeTimeout { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// The holders that must have declared themselves before any request asks the registry (by declared service name).
    /// Without them an erasure would complete having reached only the services that happened to be registered. Other
    /// holders join by declaring themselves; this is the floor, not the list. A registry with no holder never counts.
    /// </summary>
    public IList<string> RequiredHolders { get; } = [];

    /// <summary>How long an access or portability package can be downloaded before it is deleted.</summary>
    public TimeSpan PackageLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// When approved work starts: an erasure not before <see cref="ErasureCoolingOff"/> has passed since it was made, so
    /// the subject can still cancel it; anything else, and an erasure approved later than that, at approval.
    /// </summary>
    public DateTimeOffset WorkStartsAt(PrivacyRequestKind kind, DateTimeOffset receivedAt, DateTimeOffset approvedAt) =>
        kind == PrivacyRequestKind.Erasure && receivedAt + ErasureCoolingOff > approvedAt ? receivedAt + ErasureCoolingOff : approvedAt;

    /// <summary>When a party asked for the <paramref name="attempts"/>th time at <paramref name="askedAt"/> is due to be asked again.</summary>
    public DateTimeOffset NextAskAt(DateTimeOffset askedAt, int attempts)
    {
        // Twenty doublings of any sensible timeout pass the cap long before the arithmetic could overflow.
        var wait = AnswerTimeout * Math.Pow(2, Math.Clamp(attempts - 1, 0, 20));
        return askedAt + (wait < MaxAnswerTimeout ? wait : MaxAnswerTimeout);
    }
}
