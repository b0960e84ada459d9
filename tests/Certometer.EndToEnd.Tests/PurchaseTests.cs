using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Aspire.Hosting;
using Aspire.Hosting.Testing;

namespace Certometer.EndToEnd.Tests;

/// <summary>Tests that take part of the stack down; they run alone, after the others, so nobody else sees the outage.</summary>
[CollectionDefinition(nameof(StackOutages), DisableParallelization = true)]
public sealed class StackOutages;

[Collection(nameof(StackOutages))]
public sealed class PurchaseTests(StackFixture stack)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    [Fact]
    public async Task A_course_paid_for_while_the_broker_is_frozen_is_enrolled_exactly_once_when_it_is_back()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var operatorToken = (await stack.App.SignInAsync(Accounts.OperatorEmail, Accounts.OperatorPassword, cancellationToken)).AccessToken!;
        var courseId = await PublishPaidCourseAsync(operatorToken, cancellationToken);
        var learner = await stack.App.RegisterLearnerAsync(cancellationToken);
        var learnerToken = (await stack.App.SignInAsync(learner.Email, learner.Password, cancellationToken)).AccessToken!;
        using var billing = Client("billing", learnerToken);
        var order = await PlaceOrderAsync(billing, courseId, learner, cancellationToken);

        // The failure in the middle of the chain: the broker between Billing and Catalog stops answering (frozen, as a
        // host under memory pressure or a network partition would leave it), right when the payment is taken.
        var broker = await ContainerIdAsync("messaging", cancellationToken);
        await DockerAsync("pause", broker);
        try
        {
            using var token = await billing.PostAsJsonAsync("/sandbox-gateway/tokens", new { number = "4242424242424242", expiryMonth = 12, expiryYear = DateTime.UtcNow.Year + 2, cvc = "123" }, cancellationToken);
            token.IsSuccessStatusCode.ShouldBeTrue(await token.Content.ReadAsStringAsync(cancellationToken));
            var cardToken = JsonDocument.Parse(await token.Content.ReadAsStringAsync(cancellationToken)).RootElement.GetProperty("token").GetString();

            using var paid = await billing.PostAsJsonAsync($"/api/billing/orders/{order}/payments", new { cardToken }, cancellationToken);
            paid.StatusCode.ShouldBe(HttpStatusCode.OK, await paid.Content.ReadAsStringAsync(cancellationToken));
            using var again = await billing.PostAsJsonAsync($"/api/billing/orders/{order}/payments", new { cardToken }, cancellationToken);
            again.StatusCode.ShouldBe(HttpStatusCode.OK, "paying a paid order again returns the existing payment");

            using var catalogDuringOutage = Client("catalog", learnerToken);
            var enrolledEarly = await catalogDuringOutage.GetFromJsonAsync<List<Enrollment>>("/api/catalog/me/enrollments", Json, cancellationToken);
            enrolledEarly!.ShouldNotContain(e => e.CourseId == courseId, "the payment event cannot have crossed a frozen broker");
        }
        finally
        {
            await DockerAsync("unpause", broker);
        }

        using var catalog = Client("catalog", learnerToken);
        var enrollments = await EventuallyAsync(async () =>
        {
            var mine = await catalog.GetFromJsonAsync<List<Enrollment>>("/api/catalog/me/enrollments", Json, cancellationToken) ?? [];
            return mine.Where(e => e.CourseId == courseId).ToList() is { Count: > 0 } found ? found : null;
        }, "the enrollment after Catalog came back");

        enrollments.Count.ShouldBe(1);
        enrollments[0].OrderId.ShouldBe(order);
        var orders = await billing.GetFromJsonAsync<List<Order>>("/api/billing/me/orders", Json, cancellationToken);
        orders!.Single(o => o.Id == order).Status.ShouldBe("Paid");
    }

    private async Task<Guid> PublishPaidCourseAsync(string operatorToken, CancellationToken cancellationToken)
    {
        using var catalog = Client("catalog", operatorToken);
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
    private static async Task<Guid> PlaceOrderAsync(HttpClient billing, Guid courseId, Learner learner, CancellationToken cancellationToken)
    {
        var key = Guid.NewGuid().ToString();
        var id = await EventuallyAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/billing/orders")
            {
                Content = JsonContent.Create(new
                {
                    courseId,
                    billingDetails = new { name = learner.Name, address = new { line1 = "1 Test Street", city = "Berlin", postalCode = "10115", country = "DE" } },
                }),
            };
            request.Headers.Add("Idempotency-Key", key);
            using var response = await billing.SendAsync(request, cancellationToken);
            return response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK
                ? JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).RootElement.GetProperty("id").GetString()
                : null;
        }, "Billing accepting an order for the newly offered course");
        return Guid.Parse(id);
    }

    private async Task<string> ContainerIdAsync(string resource, CancellationToken cancellationToken)
    {
        var running = await stack.App.ResourceNotifications.WaitForResourceAsync(
            resource, e => e.Snapshot.Properties.Any(p => p.Name == "container.id" && p.Value is string { Length: > 0 }), cancellationToken);
        return (string)running.Snapshot.Properties.First(p => p.Name == "container.id").Value!;
    }

    private static async Task DockerAsync(string command, string container)
    {
        using var docker = System.Diagnostics.Process.Start("docker", [command, container])
            ?? throw new InvalidOperationException("docker could not be started.");
        await docker.WaitForExitAsync();
        docker.ExitCode.ShouldBe(0, $"docker {command} {container}");
    }

    private HttpClient Client(string service, string token)
    {
        var http = stack.App.CreateHttpClient(service);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> attempt, string what)
        where T : class
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(90);
        while (true)
        {
            try
            {
                if (await attempt() is { } value)
                {
                    return value;
                }
            }
            catch (HttpRequestException) when (DateTimeOffset.UtcNow < deadline)
            {
                // The service is still coming back.
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"Never happened: {what}.");
            }

            await Task.Delay(500, TestContext.Current.CancellationToken);
        }
    }

    private sealed record Enrollment(Guid Id, Guid CourseId, Guid? OrderId);

    private sealed record Order(Guid Id, string Status);
}
