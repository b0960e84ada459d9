using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Certometer.TestInfrastructure;

namespace Certometer.Analytics.Tests;

public sealed class TelemetryTests(AnalyticsService analytics)
{
    [Fact]
    public async Task Traces_of_an_ingested_visit_carry_neither_the_client_address_nor_the_user_agent()
    {
        var userAgent = $"TelemetryProbe/{Guid.NewGuid():N} (X11; Linux x86_64)";
        var tags = new ConcurrentBag<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                foreach (var tag in activity.TagObjects)
                {
                    tags.Add($"{activity.OperationName} {tag.Key}={tag.Value}");
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        using var client = analytics.Main.Client();
        client.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);

        (await client.SendAsync(Visits.Anonymous())).ShouldBe(HttpStatusCode.Accepted);

        // The server's span stops after the response is written, so the client can hold the answer before it is recorded.
        await Eventually.HoldsAsync(
            () => Task.FromResult(tags.Any(tag => tag.Contains("/api/analytics/events", StringComparison.Ordinal))),
            "the request traced", cancellationToken: TestContext.Current.CancellationToken);
        tags.ShouldNotContain(tag => tag.Contains(AnalyticsService.ClientAddress, StringComparison.Ordinal));
        tags.ShouldNotContain(tag => tag.Contains("TelemetryProbe", StringComparison.Ordinal));
    }
}
