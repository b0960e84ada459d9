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

    [Fact(Timeout = StackFixture.TestTimeout)]
    public async Task A_course_paid_for_while_the_broker_is_frozen_is_enrolled_exactly_once_when_it_is_back()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var operatorToken = (await stack.App.SignInAsync(Accounts.OperatorEmail, Accounts.OperatorPassword, cancellationToken)).AccessToken!;
        var courseId = await stack.App.PublishPaidCourseAsync(operatorToken, cancellationToken);
        var learner = await stack.App.RegisterLearnerAsync(cancellationToken);
        var learnerToken = (await stack.App.SignInAsync(learner.Email, learner.Password, cancellationToken)).AccessToken!;
        using var billing = stack.App.ClientFor("billing", learnerToken);
        var order = await Purchases.PlaceOrderAsync(billing, courseId, learner.Name, cancellationToken);

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

            using var catalogDuringOutage = stack.App.ClientFor("catalog", learnerToken);
            var enrolledEarly = await catalogDuringOutage.GetFromJsonAsync<List<Enrollment>>("/api/catalog/me/enrollments", Json, cancellationToken);
            enrolledEarly!.ShouldNotContain(e => e.CourseId == courseId, "the payment event cannot have crossed a frozen broker");
        }
        finally
        {
            await DockerAsync("unpause", broker);
        }

        using var catalog = stack.App.ClientFor("catalog", learnerToken);
        var enrollments = await Purchases.EventuallyAsync(async () =>
        {
            var mine = await catalog.GetFromJsonAsync<List<Enrollment>>("/api/catalog/me/enrollments", Json, cancellationToken) ?? [];
            return mine.Where(e => e.CourseId == courseId).ToList() is { Count: > 0 } found ? found : null;
        }, "the enrollment after Catalog came back");

        enrollments.Count.ShouldBe(1);
        enrollments[0].OrderId.ShouldBe(order);
        var orders = await billing.GetFromJsonAsync<List<Order>>("/api/billing/me/orders", Json, cancellationToken);
        orders!.Single(o => o.Id == order).Status.ShouldBe("Paid");
    }

    [Fact(Timeout = StackFixture.TestTimeout)]
    public async Task A_card_that_needs_confirmation_is_paid_and_enrolled_once_the_gateway_calls_back()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var operatorToken = (await stack.App.SignInAsync(Accounts.OperatorEmail, Accounts.OperatorPassword, cancellationToken)).AccessToken!;
        var courseId = await stack.App.PublishPaidCourseAsync(operatorToken, cancellationToken);
        var learner = await stack.App.RegisterLearnerAsync(cancellationToken);
        var learnerToken = (await stack.App.SignInAsync(learner.Email, learner.Password, cancellationToken)).AccessToken!;
        using var billing = stack.App.ClientFor("billing", learnerToken);
        var order = await Purchases.PlaceOrderAsync(billing, courseId, learner.Name, cancellationToken);

        using var token = await billing.PostAsJsonAsync("/sandbox-gateway/tokens", new { number = "4000000000003220", expiryMonth = 12, expiryYear = DateTime.UtcNow.Year + 2, cvc = "123" }, cancellationToken);
        var cardToken = JsonDocument.Parse(await token.Content.ReadAsStringAsync(cancellationToken)).RootElement.GetProperty("token").GetString();
        using var pending = await billing.PostAsJsonAsync($"/api/billing/orders/{order}/payments", new { cardToken }, cancellationToken);
        pending.StatusCode.ShouldBe(HttpStatusCode.Accepted, "the charge waits for the cardholder's confirmation");

        // The sandbox gateway sends its signed charge.succeeded webhook to Billing by itself; nobody in the test does.
        using var catalog = stack.App.ClientFor("catalog", learnerToken);
        var enrollment = await Purchases.EventuallyAsync(async () =>
        {
            var mine = await catalog.GetFromJsonAsync<List<Enrollment>>("/api/catalog/me/enrollments", Json, cancellationToken) ?? [];
            return mine.SingleOrDefault(e => e.CourseId == courseId);
        }, "the enrollment after the gateway's confirmation");
        enrollment.OrderId.ShouldBe(order);
        var orders = await billing.GetFromJsonAsync<List<Order>>("/api/billing/me/orders", Json, cancellationToken);
        orders!.Single(o => o.Id == order).Status.ShouldBe("Paid");
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

    private sealed record Enrollment(Guid Id, Guid CourseId, Guid? OrderId);

    private sealed record Order(Guid Id, string Status);
}
