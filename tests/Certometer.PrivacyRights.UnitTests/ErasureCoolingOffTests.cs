using Certometer.Contracts.Privacy;
using Certometer.PrivacyRights.Workflow;

namespace Certometer.PrivacyRights.UnitTests;

/// <summary>When approved work starts: an erasure waits out its cooling-off period, so the subject can still change their mind.</summary>
public sealed class ErasureCoolingOffTests
{
    private static readonly DateTimeOffset ReceivedAt = new(2026, 1, 15, 9, 30, 0, TimeSpan.Zero);

    private static readonly WorkflowOptions Options = new() { ErasureCoolingOff = TimeSpan.FromDays(1) };

    [Fact]
    public void An_approved_erasure_starts_only_once_a_day_has_passed_since_it_was_made()
    {
        Options.WorkStartsAt(PrivacyRequestKind.Erasure, ReceivedAt, approvedAt: ReceivedAt.AddHours(2)).ShouldBe(ReceivedAt.AddDays(1));
    }

    [Fact]
    public void An_erasure_approved_after_its_cooling_off_period_starts_at_approval()
    {
        var approvedAt = ReceivedAt.AddDays(3);

        Options.WorkStartsAt(PrivacyRequestKind.Erasure, ReceivedAt, approvedAt).ShouldBe(approvedAt);
    }

    [Theory]
    [InlineData(PrivacyRequestKind.Access)]
    [InlineData(PrivacyRequestKind.Portability)]
    [InlineData(PrivacyRequestKind.Restriction)]
    [InlineData(PrivacyRequestKind.ObjectionToMarketing)]
    public void Every_other_kind_of_request_starts_at_approval(PrivacyRequestKind kind)
    {
        var approvedAt = ReceivedAt.AddMinutes(5);

        Options.WorkStartsAt(kind, ReceivedAt, approvedAt).ShouldBe(approvedAt);
    }

    [Fact]
    public void Without_a_cooling_off_period_an_erasure_starts_at_approval()
    {
        var approvedAt = ReceivedAt.AddMinutes(5);

        new WorkflowOptions { ErasureCoolingOff = TimeSpan.Zero }.WorkStartsAt(PrivacyRequestKind.Erasure, ReceivedAt, approvedAt).ShouldBe(approvedAt);
    }
}
