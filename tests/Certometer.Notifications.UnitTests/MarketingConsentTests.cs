using Certometer.Contracts.Privacy;
using Certometer.Notifications.Recipients;

namespace Certometer.Notifications.UnitTests;

public sealed class MarketingConsentTests
{
    private static readonly Guid Subject = Guid.NewGuid();
    private static readonly DateTimeOffset RecordedAt = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static ConsentsInForce State(bool? marketing, long sequence, DateTimeOffset? recordedAt = null) =>
        new(Subject, marketing, Analytics: null, sequence, recordedAt ?? RecordedAt);

    [Fact]
    public void A_state_from_the_ledger_is_put_in_force_with_its_sequence()
    {
        var settings = new SubjectSettings { SubjectId = Subject };

        settings.Apply(State(marketing: true, sequence: 1));

        settings.MarketingConsent.ShouldBeTrue();
        settings.ConsentSequence.ShouldBe(1);
        settings.ConsentRecordedAt.ShouldBe(RecordedAt);
    }

    [Fact]
    public void An_earlier_state_arriving_late_never_overrules_a_withdrawal_even_with_a_later_clock()
    {
        var settings = new SubjectSettings { SubjectId = Subject };
        settings.Apply(State(marketing: false, sequence: 5));

        settings.Apply(State(marketing: true, sequence: 4, recordedAt: RecordedAt.AddDays(1)));

        settings.MarketingConsent.ShouldBeFalse();
        settings.ConsentSequence.ShouldBe(5);
    }

    [Fact]
    public void The_same_state_delivered_twice_changes_nothing_the_second_time()
    {
        var settings = new SubjectSettings { SubjectId = Subject };
        settings.Apply(State(marketing: true, sequence: 2));

        settings.Apply(State(marketing: false, sequence: 2, recordedAt: RecordedAt.AddHours(1)));

        settings.MarketingConsent.ShouldBeTrue();
        settings.ConsentRecordedAt.ShouldBe(RecordedAt);
    }

    [Fact]
    public void A_state_without_a_marketing_choice_is_no_consent()
    {
        var settings = new SubjectSettings { SubjectId = Subject, MarketingConsent = true, ConsentSequence = 1 };

        settings.Apply(State(marketing: null, sequence: 2));

        settings.MarketingConsent.ShouldBeFalse();
    }

    [Fact]
    public void Marketing_needs_a_recorded_yes_no_restriction_and_no_objection()
    {
        new SubjectSettings { MarketingConsent = true }.AllowsMarketing().ShouldBeTrue();
        new SubjectSettings { MarketingConsent = false }.AllowsMarketing().ShouldBeFalse();
        new SubjectSettings { MarketingConsent = true, Restricted = true }.AllowsMarketing().ShouldBeFalse();
        new SubjectSettings { MarketingConsent = true, MarketingObjectedAt = RecordedAt }.AllowsMarketing().ShouldBeFalse();
    }

    [Fact]
    public void A_consent_given_after_an_objection_does_not_bring_marketing_back()
    {
        var settings = new SubjectSettings { SubjectId = Subject, MarketingObjectedAt = RecordedAt };

        settings.Apply(State(marketing: true, sequence: 9, recordedAt: RecordedAt.AddDays(30)));

        settings.MarketingConsent.ShouldBeTrue();
        settings.AllowsMarketing().ShouldBeFalse();
    }
}
