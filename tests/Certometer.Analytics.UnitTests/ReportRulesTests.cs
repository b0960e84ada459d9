using Certometer.Analytics.Reports;

namespace Certometer.Analytics.UnitTests;

public sealed class ReportRulesTests
{
    private static readonly ReportOptions Options = new() { MaxRangeDays = 31 };
    private static readonly DateOnly First = new(2026, 1, 1);

    [Fact]
    public void A_range_covers_whole_UTC_days_with_both_ends_included()
    {
        var range = ReportEndpoints.Range(First, First.AddDays(30), Options, out var errors).ShouldNotBeNull();

        errors.ShouldBeEmpty();
        range.Start.ShouldBe(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        range.End.ShouldBe(new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void A_range_one_day_longer_than_allowed_is_refused()
    {
        ReportEndpoints.Range(First, First.AddDays(31), Options, out var errors).ShouldBeNull();
        errors.Keys.ShouldBe(["to"]);
    }

    [Fact]
    public void A_range_ending_before_it_starts_or_missing_an_end_is_refused()
    {
        ReportEndpoints.Range(First, First.AddDays(-1), Options, out var backwards).ShouldBeNull();
        backwards.Keys.ShouldBe(["to"]);
        ReportEndpoints.Range(null, null, Options, out var missing).ShouldBeNull();
        missing.Keys.ShouldBe(["from", "to"], ignoreOrder: true);
    }

    [Fact]
    public void Groups_are_listed_largest_first_with_the_folded_rest_last_as_other()
    {
        var groups = ReportEndpoints.Groups(
        [
            new GroupedCount(null, null, 40, 90),
            new GroupedCount(null, "firefox", 6, 9),
            new GroupedCount(null, "chrome", 12, 30),
            new GroupedCount(null, "edge", 6, 7),
        ]);

        groups.Select(group => group.Value).ShouldBe(["chrome", "edge", "firefox", ReportEndpoints.Other]);
        groups[^1].Visitors.ShouldBe(40);
    }
}
