using Certometer.Contracts.Privacy;

namespace Certometer.Notifications.Recipients;

/// <summary>Where and how to reach a person: Notifications' copy of the contact details Identity owns.</summary>
public sealed class Recipient
{
    public Guid SubjectId { get; init; }

    public required string Email { get; set; }

    public required string Name { get; set; }

    /// <summary>A language tag; templates fall back to English where no translation exists.</summary>
    public string? PreferredLanguage { get; set; }

    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>
/// What a subject allows: marketing consent and restriction. Kept apart from <see cref="Recipient"/> because the
/// consent and restriction events can arrive before the registration event does.
/// </summary>
public sealed class SubjectSettings
{
    public Guid SubjectId { get; init; }

    public bool MarketingConsent { get; set; }

    /// <summary>When the consent ledger recorded the state now in force.</summary>
    public DateTimeOffset? ConsentRecordedAt { get; set; }

    /// <summary>The ledger's sequence of the state now in force; a state with a lower one, arriving late, is ignored.</summary>
    public long ConsentSequence { get; set; }

    /// <summary>While restricted, only messages the subject needs (account, purchases, privacy requests) are sent.</summary>
    public bool Restricted { get; set; }

    /// <summary>
    /// When the subject objected to direct marketing. Absolute (GDPR art. 21(3)): no later consent or change of address
    /// brings marketing back, which is why it is kept apart from <see cref="MarketingConsent"/>.
    /// </summary>
    public DateTimeOffset? MarketingObjectedAt { get; set; }

    /// <summary>
    /// Puts the consent ledger's <paramref name="state"/> in force unless one it recorded later (a higher sequence) already
    /// is, whatever the clocks say. No recorded choice is no consent: marketing needs a yes.
    /// </summary>
    public void Apply(ConsentsInForce state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (ConsentSequence < state.Sequence)
        {
            MarketingConsent = state.Marketing ?? false;
            ConsentRecordedAt = state.RecordedAt;
            ConsentSequence = state.Sequence;
        }
    }

    /// <summary>Marketing may be sent: a recorded yes, no restriction, and no objection ever (an objection is for good).</summary>
    public bool AllowsMarketing() => MarketingConsent && !Restricted && MarketingObjectedAt is null;
}
