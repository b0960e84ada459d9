using Certometer.PrivacyRights.Workflow;

namespace Certometer.PrivacyRights.UnitTests;

/// <summary>How often a silent holder is asked again: doubling waits, capped, so a holder down for a day is not flooded.</summary>
public sealed class SilentHolderBackOffTests
{
    private static readonly DateTimeOffset AskedAt = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(3, 8)]
    [InlineData(5, 32)]
    [InlineData(6, 60)]
    [InlineData(50, 60)]
    [InlineData(int.MaxValue, 60)]
    public void Each_ask_waits_twice_as_long_as_the_one_before_up_to_the_cap(int attempts, int minutes)
    {
        var options = new WorkflowOptions { AnswerTimeout = TimeSpan.FromMinutes(2), MaxAnswerTimeout = TimeSpan.FromHours(1) };

        options.NextAskAt(AskedAt, attempts).ShouldBe(AskedAt.AddMinutes(minutes));
    }

    [Fact]
    public void A_holder_silent_for_a_day_is_asked_a_few_dozen_times_where_a_fixed_timeout_would_ask_seven_hundred()
    {
        var options = new WorkflowOptions { AnswerTimeout = TimeSpan.FromMinutes(2), MaxAnswerTimeout = TimeSpan.FromHours(1) };
        var (at, asks) = (AskedAt, 1);
        while (options.NextAskAt(at, asks) is var next && next < AskedAt.AddDays(1))
        {
            (at, asks) = (next, asks + 1);
        }

        asks.ShouldBeLessThanOrEqualTo(30);
        asks.ShouldBeGreaterThanOrEqualTo(24, "an hour apart at most, so a holder back after an outage hears again within the hour");
    }
}
