using Certometer.PrivacyRights.Consents;

namespace Certometer.PrivacyRights.UnitTests;

public sealed class ConsentLedgerTests
{
    private const string Marketing = ConsentLedger.Marketing;
    private const string Analytics = ConsentLedger.Analytics;

    [Fact]
    public void A_first_choice_is_recorded_with_sequence_1_and_put_in_force()
    {
        var update = ConsentLedger.Decide([], marketing: true, analytics: null, ConsentLedger.PrivacyCentreSource);

        update.Appended.ShouldBe([new LedgerChoice(Marketing, Given: true, Sequence: 1, TookEffect: true)]);
        update.Marketing.ShouldBe(true);
        update.Analytics.ShouldBeNull("no analytics choice has been made, so none is assumed");
        update.Sequence.ShouldBe(1);
    }

    [Fact]
    public void Each_choice_gets_the_next_sequence_after_everything_already_recorded()
    {
        LedgerChoice[] earlier = [new(Marketing, true, 1, true), new(Analytics, true, 2, true), new(Marketing, false, 3, true)];

        var update = ConsentLedger.Decide(earlier, marketing: true, analytics: false, ConsentLedger.PrivacyCentreSource);

        update.Appended.Select(choice => (choice.Kind, choice.Sequence)).ShouldBe([(Marketing, 4L), (Analytics, 5L)]);
        update.Sequence.ShouldBe(5);
        (update.Marketing, update.Analytics).ShouldBe((true, false));
    }

    [Fact]
    public void The_state_in_force_is_the_latest_choice_of_each_kind_by_sequence_not_by_list_order()
    {
        LedgerChoice[] earlier = [new(Marketing, false, 3, true), new(Marketing, true, 1, true), new(Analytics, true, 2, true)];

        var update = ConsentLedger.Decide(earlier, marketing: null, analytics: null, ConsentLedger.PrivacyCentreSource);

        update.Appended.ShouldBeEmpty();
        (update.Marketing, update.Analytics).ShouldBe((false, true));
        update.Sequence.ShouldBe(3);
    }

    [Fact]
    public void A_sign_up_choice_arriving_after_a_later_choice_is_kept_as_history_and_does_not_overrule_it()
    {
        LedgerChoice[] earlier = [new(Marketing, false, 1, true)];

        var update = ConsentLedger.Decide(earlier, marketing: true, analytics: true, ConsentLedger.RegistrationSource);

        update.Appended.ShouldBe(
        [
            new LedgerChoice(Marketing, Given: true, Sequence: 2, TookEffect: false),
            new LedgerChoice(Analytics, Given: true, Sequence: 3, TookEffect: true),
        ]);
        update.Marketing.ShouldBe(false, "the withdrawal made before the sign-up choice arrived stays in force");
        update.Analytics.ShouldBe(true, "nothing had been chosen about analytics, so the sign-up choice is the first");
    }

    [Fact]
    public void A_choice_that_never_took_effect_is_not_part_of_the_state_in_force()
    {
        LedgerChoice[] earlier = [new(Marketing, false, 1, true), new(Marketing, true, 2, false)];

        ConsentLedger.Decide(earlier, marketing: null, analytics: null, ConsentLedger.PrivacyCentreSource).Marketing.ShouldBe(false);
    }

    [Fact]
    public void An_objection_is_a_withdrawal_that_takes_effect_over_an_earlier_consent()
    {
        LedgerChoice[] earlier = [new(Marketing, true, 1, true), new(Analytics, true, 2, true)];

        var update = ConsentLedger.Decide(earlier, marketing: false, analytics: null, ConsentLedger.ObjectionSource);

        update.Appended.ShouldBe([new LedgerChoice(Marketing, Given: false, Sequence: 3, TookEffect: true)]);
        (update.Marketing, update.Analytics).ShouldBe((false, true));
    }
}
