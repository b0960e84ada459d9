using System.Text.Json;

namespace Certometer.Analytics.Tests;

public sealed class OpenApiTests(AnalyticsService analytics)
{
    [Fact]
    public async Task The_OpenAPI_document_lists_every_analytics_endpoint_and_marks_only_reports_as_needing_a_token()
    {
        using var client = analytics.Main.Client();

        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken));

        var operations = document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => (Key: $"{operation.Name.ToUpperInvariant()} {path.Name}", Operation: operation.Value)))
            .ToDictionary(entry => entry.Key, entry => entry.Operation);
        operations.Keys.ShouldBe(
        [
            "POST /api/analytics/events",
            "POST /api/analytics/events/batch",
            "GET /api/analytics/reports/areas",
            "GET /api/analytics/reports/audience",
            "GET /api/analytics/reports/pages",
        ], ignoreOrder: true);
        foreach (var (key, operation) in operations)
        {
            operation.TryGetProperty("security", out _).ShouldBe(key.Contains("/reports/", StringComparison.Ordinal), key);
        }
    }
}
