using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Certometer.TestInfrastructure;

namespace Certometer.EndToEnd.Tests;

/// <summary>Buying a course on the running stack the way the apps do: operator publishes, learner orders and pays.</summary>
public static class Purchases
{
    public static async Task<Guid> PublishPaidCourseAsync(this DistributedApplication app, ApiTokens operatorToken, CancellationToken cancellationToken)
    {
        using var catalog = app.ClientFor("catalog", operatorToken);
        var marker = Guid.NewGuid().ToString("N")[..8];
        using var created = await catalog.PostAsJsonAsync("/api/catalog/admin/courses", new
        {
            title = $"Incident response {marker}",
            slug = $"incident-response-{marker}",
            description = "Handling production incidents calmly.",
            level = "Intermediate",
            kind = "Course",
            durationMinutes = 90,
            priceMinor = 4900,
            currency = "EUR",
            language = "en",
            lessons = new[] { new { title = "Triage", durationMinutes = 45 }, new { title = "Postmortems", durationMinutes = 45 } },
        }, cancellationToken);
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync(cancellationToken));
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync(cancellationToken)).RootElement.GetProperty("id").GetGuid();
        using var published = await catalog.PostAsync($"/api/catalog/admin/courses/{id}/publish", null, cancellationToken);
        published.StatusCode.ShouldBe(HttpStatusCode.OK, await published.Content.ReadAsStringAsync(cancellationToken));
        return id;
    }

    // Billing learns the price from Catalog's CourseOffered event, so the first attempts may not find the course yet;
    // the same Idempotency-Key makes every attempt the same order.
    /// <param name="address">The billing address as the API takes it; a fixed one in Berlin when null.</param>
    public static async Task<Guid> PlaceOrderAsync(HttpClient billing, Guid courseId, string billingName, CancellationToken cancellationToken, object? address = null)
    {
        address ??= new { line1 = "1 Test Street", city = "Berlin", postalCode = "10115", country = "DE" };
        var key = Guid.NewGuid().ToString();
        var id = await EventuallyAsync(async () =>
        {
            using var response = await SandboxCheckout.PostOrderAsync(
                billing, new { courseId, billingDetails = new { name = billingName, address } }, key, cancellationToken);
            return response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK
                ? JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).RootElement.GetProperty("id").GetString()
                : null;
        }, "Billing accepting an order for the newly offered course");
        return Guid.Parse(id);
    }

    /// <summary>Tokenizes the sandbox's always-successful test card and pays the order with it.</summary>
    public static async Task PayAsync(HttpClient billing, Guid order, CancellationToken cancellationToken)
    {
        var cardToken = await SandboxCheckout.TokenizeAsync(billing, SandboxCheckout.SucceedingCard, cancellationToken);
        using var paid = await SandboxCheckout.PayAsync(billing, order, cardToken, cancellationToken);
        paid.StatusCode.ShouldBe(HttpStatusCode.OK, await paid.Content.ReadAsStringAsync(cancellationToken));
    }

    public static HttpClient ClientFor(this DistributedApplication app, string service, ApiTokens tokens)
    {
        var http = app.CreateHttpClient(service);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens[service]);
        return http;
    }

    /// <summary>Polls <paramref name="attempt"/> for up to 90 s, treating a service that is still coming back as "not yet".</summary>
    public static Task<T> EventuallyAsync<T>(Func<Task<T?>> attempt, string what)
        where T : class =>
        Eventually.ValueAsync(
            async () =>
            {
                try
                {
                    return await attempt();
                }
                catch (HttpRequestException)
                {
                    return null;
                }
            },
            what,
            TimeSpan.FromSeconds(90),
            TestContext.Current.CancellationToken);
}
