using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Certometer.Analytics.Ingestion;
using Certometer.Analytics.Reports;

namespace Certometer.Analytics.Tests;

public sealed class ReportTests(AnalyticsService analytics)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reports_fold_groups_below_the_minimum_into_other_and_leave_out_any_group_still_too_small()
    {
        // Its own database, so the counts are exactly what this test sent.
        await using var host = await analytics.StartAsync();
        using var client = host.Client();
        var now = DateTimeOffset.UtcNow;
        var yesterday = now.AddDays(-1);
        var twoDaysAgo = now.AddDays(-2);

        // Yesterday: 6 on courses (from a search page); 3 on pricing and 2 on blog, different people, together 5 in "(other)".
        await VisitAsync(client, 6, "/courses/az-900", yesterday, referrer: "https://search.example/results");
        await VisitAsync(client, 3, "/pricing", yesterday);
        await VisitAsync(client, 2, "/blog/welcome", yesterday);
        // Two days ago: 5 on courses, and one person alone on about, who must not show up even as "(other)".
        await VisitAsync(client, 5, "/courses/az-104", twoDaysAgo);
        await VisitAsync(client, 1, "/about", twoDaysAgo, referrer: "https://rare.example/only-me", device: "tablet");

        using var operatorClient = host.Client(AnalyticsService.OperatorToken());
        var range = $"from={Day(twoDaysAgo)}&to={Day(now)}";
        var areas = await operatorClient.GetFromJsonAsync<AreaInterestReport>($"/api/analytics/reports/areas?{range}", Cancel);
        var audience = await operatorClient.GetFromJsonAsync<AudienceReport>($"/api/analytics/reports/audience?{range}", Cancel);
        var pages = await operatorClient.GetFromJsonAsync<PagesReport>($"/api/analytics/reports/pages?{range}&top=5", Cancel);

        areas!.MinimumGroupSize.ShouldBe(5);
        areas.Days.Select(d => d.Day).ShouldBe([DateOnly.FromDateTime(twoDaysAgo.UtcDateTime), DateOnly.FromDateTime(yesterday.UtcDateTime)]);
        areas.Days[0].Areas.ShouldBe([new ReportGroup("courses", 5, 5)]);
        areas.Days[1].Areas.ShouldBe([new ReportGroup("courses", 6, 6), new ReportGroup("(other)", 5, 5)]);

        audience!.Devices.ShouldBe([new ReportGroup("desktop", 16, 16)]);
        audience.Browsers.ShouldBe([new ReportGroup("firefox", 17, 17)]);
        audience.Locations.ShouldBe([new ReportGroup(AnalyticsService.ClientRegion, 17, 17)]);
        pages!.TopReferrers.ShouldBe([new ReportGroup("https://search.example/results", 6, 6)]);
        pages.TopExitPages.ShouldBe([new ReportGroup("/pricing", 17, 17)]);

        var everyGroup = areas.Days.SelectMany(d => d.Areas)
            .Concat(audience.Devices).Concat(audience.Browsers).Concat(audience.Languages).Concat(audience.Locations)
            .Concat(pages.TopReferrers).Concat(pages.TopExitPages).ToList();
        everyGroup.ShouldAllBe(group => group.Visitors >= 5);
        everyGroup.ShouldNotContain(group => group.Value.Contains("about") || group.Value.Contains("rare.example") || group.Value == "tablet");
    }

    [Fact]
    public async Task Only_operators_may_read_reports()
    {
        var range = $"from={Day(DateTimeOffset.UtcNow)}&to={Day(DateTimeOffset.UtcNow)}";
        using var anonymous = analytics.Main.Client();
        using var learner = analytics.Main.Client(AnalyticsService.LearnerToken(Guid.NewGuid()));
        using var officer = analytics.Main.Client(Certometer.TestInfrastructure.TestTokens.ForPerson(
            Guid.NewGuid(), "compliance-officer", AnalyticsService.Scope, AnalyticsService.Audience));
        using var operatorClient = analytics.Main.Client(AnalyticsService.OperatorToken());

        foreach (var report in new[] { "areas", "audience", "pages" })
        {
            using var asAnonymous = await anonymous.GetAsync($"/api/analytics/reports/{report}?{range}", Cancel);
            using var asLearner = await learner.GetAsync($"/api/analytics/reports/{report}?{range}", Cancel);
            using var asOfficer = await officer.GetAsync($"/api/analytics/reports/{report}?{range}", Cancel);
            using var asOperator = await operatorClient.GetAsync($"/api/analytics/reports/{report}?{range}", Cancel);
            asAnonymous.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            asLearner.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            asOfficer.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            asOperator.StatusCode.ShouldBe(HttpStatusCode.OK);
        }
    }

    [Theory]
    [InlineData("", "from", "to")]
    [InlineData("from=2026-03-10&to=2026-03-01", "to")]
    [InlineData("from=2024-01-01&to=2026-01-01", "to")]
    [InlineData("from=2026-03-01&to=2026-03-02&top=0", "top")]
    public async Task A_report_over_a_missing_backwards_or_too_long_range_is_refused_with_a_problem(string query, params string[] fields)
    {
        using var operatorClient = analytics.Main.Client(AnalyticsService.OperatorToken());

        using var response = await operatorClient.GetAsync($"/api/analytics/reports/pages?{query}", Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await response.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ValidationProblemDetails>(Cancel);
        problem!.Errors.Keys.ShouldBe(fields, ignoreOrder: true);
    }

    private static async Task VisitAsync(HttpClient client, int visitors, string page, DateTimeOffset at, string? referrer = null, string device = "desktop")
    {
        var batch = Enumerable.Range(0, visitors)
            .Select(_ => (UsageEventRequest?)(Visits.Anonymous(page: page, at: at) with { Referrer = referrer, DeviceType = device }))
            .ToList();
        using var response = await client.PostAsJsonAsync("/api/analytics/events/batch", new UsageEventBatchRequest(batch), Cancel);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
    }

    private static string Day(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
