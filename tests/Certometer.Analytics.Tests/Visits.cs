using System.Net;
using System.Net.Http.Json;
using Certometer.Analytics.Ingestion;

namespace Certometer.Analytics.Tests;

/// <summary>Builds page views as an app would send them, with everything valid unless a test changes it.</summary>
public static class Visits
{
    public static UsageEventRequest Anonymous(Guid? anonymousId = null, string page = "/courses/azure-fundamentals", DateTimeOffset? at = null) => new(
        Page: page,
        DeviceType: "desktop",
        Browser: "firefox",
        Language: "de-CH",
        TimeZone: "Europe/Zurich",
        ScreenWidth: 1366,
        ScreenHeight: 768,
        Referrer: "https://search.example/results",
        ExitPage: "/pricing",
        OccurredAt: at ?? DateTimeOffset.UtcNow.AddMinutes(-1),
        AnonymousId: (anonymousId ?? Guid.NewGuid()).ToString());

    public static UsageEventRequest SignedIn(string page = "/courses/azure-fundamentals") => Anonymous(page: page) with { AnonymousId = null };

    public static async Task<HttpStatusCode> SendAsync(this HttpClient client, UsageEventRequest visit)
    {
        using var response = await client.PostAsJsonAsync("/api/analytics/events", visit, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }
}
