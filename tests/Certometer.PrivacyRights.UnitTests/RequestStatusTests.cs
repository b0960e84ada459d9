using Certometer.Contracts.Privacy;
using Certometer.PrivacyRights.Data;
using Certometer.PrivacyRights.Intake;
using Certometer.PrivacyRights.Requests;

namespace Certometer.PrivacyRights.UnitTests;

public sealed class RequestStatusTests
{
    private static PrivacyRequest RequestIn(PrivacyRequestStatus status) => new()
    {
        Id = Guid.NewGuid(), SubjectId = Guid.NewGuid(), Kind = PrivacyRequestKind.Erasure, ReceivedAt = DateTimeOffset.UnixEpoch, Status = status,
    };

    [Theory]
    [InlineData(PrivacyRequestStatus.Received, true)]
    [InlineData(PrivacyRequestStatus.Approved, true)]
    [InlineData(PrivacyRequestStatus.InProgress, true)]
    [InlineData(PrivacyRequestStatus.Completed, false)]
    [InlineData(PrivacyRequestStatus.Denied, false)]
    [InlineData(PrivacyRequestStatus.Cancelled, false)]
    public void A_request_is_open_until_it_is_completed_denied_or_cancelled(PrivacyRequestStatus status, bool open)
    {
        RequestIn(status).IsOpen.ShouldBe(open);
    }

    [Fact]
    public void Every_status_is_either_open_or_final_and_only_open_ones_count_as_duplicates()
    {
        PrivacyRequest.OpenStatuses.ShouldBe([PrivacyRequestStatus.Received, PrivacyRequestStatus.Approved, PrivacyRequestStatus.InProgress]);
    }

    [Theory]
    [InlineData("erika@example.test", true)]
    [InlineData("Erika Mustermann <erika@example.test>", false)]
    [InlineData("erika@localhost", false)]
    [InlineData("erika", false)]
    [InlineData(" erika@example.test", false)]
    public void A_contact_address_is_a_bare_address_on_a_dotted_domain(string value, bool valid)
    {
        RequestIntake.IsEmailAddress(value).ShouldBe(valid);
    }

    [Fact]
    public void A_contact_address_may_be_254_characters_long_but_no_longer()
    {
        static string Address(int firstLabel) =>
            $"erika@{new string('b', firstLabel)}.{string.Concat(Enumerable.Repeat(new string('c', 49) + ".", 4))}example.test";

        Address(35).Length.ShouldBe(254);
        RequestIntake.IsEmailAddress(Address(35)).ShouldBeTrue();
        RequestIntake.IsEmailAddress(Address(36)).ShouldBeFalse();
    }

    [Fact]
    public void An_unknown_request_kind_is_refused_naming_the_known_ones()
    {
        var errors = new Dictionary<string, string[]>();

        RequestIntake.ValidKind((PrivacyRequestKind)999, errors).ShouldBeNull();
        RequestIntake.ValidKind(null, errors).ShouldBeNull();
        errors["kind"].Single().ShouldContain(nameof(PrivacyRequestKind.Erasure));
        RequestIntake.ValidKind(PrivacyRequestKind.Access, new Dictionary<string, string[]>()).ShouldBe(PrivacyRequestKind.Access);
    }

    [Fact]
    public void A_decision_reason_is_required_trimmed_and_at_most_2000_characters()
    {
        DecisionReason.ValidReasonOf(new DecisionReason("  Identity not confirmed.  "), out var none).ShouldBe("Identity not confirmed.");
        none.ShouldBeEmpty();
        DecisionReason.ValidReasonOf(new DecisionReason("   "), out var blank).ShouldBeNull();
        blank.Keys.ShouldBe(["reason"]);
        DecisionReason.ValidReasonOf(null, out var missing).ShouldBeNull();
        missing.Keys.ShouldBe(["reason"]);
        DecisionReason.ValidReasonOf(new DecisionReason(new string('r', 2001)), out var tooLong).ShouldBeNull();
        tooLong.Keys.ShouldBe(["reason"]);
    }

    [Fact]
    public void Times_are_kept_to_the_microsecond_as_PostgreSQL_stores_them()
    {
        var at = new DateTimeOffset(2026, 1, 15, 9, 30, 0, TimeSpan.FromHours(1)).AddTicks(1234567);

        var stored = StoredTime.AsStored(at);

        stored.Offset.ShouldBe(TimeSpan.Zero);
        stored.UtcTicks.ShouldBe(at.UtcTicks - 7);
    }
}
