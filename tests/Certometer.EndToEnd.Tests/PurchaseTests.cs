using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Certometer.TestInfrastructure;

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
        var operatorToken = await stack.App.SignInAsync(Accounts.OperatorEmail, Accounts.OperatorPassword, cancellationToken);
        var courseId = await stack.App.PublishPaidCourseAsync(operatorToken, cancellationToken);
        var learner = await stack.App.RegisterLearnerAsync(cancellationToken);
        var learnerToken = await stack.App.SignInAsync(learner.Email, learner.Password, cancellationToken);
        using var billing = stack.App.ClientFor("billing", learnerToken);
        var order = await Purchases.PlaceOrderAsync(billing, courseId, learner.Name, cancellationToken);

        // The failure in the middle of the chain: the broker between Billing and Catalog stops answering (frozen, as a
        // host under memory pressure or a network partition would leave it), right when the payment is taken.
        var broker = await stack.ContainerIdAsync("messaging", cancellationToken);
        await DockerContainers.PauseAsync(broker, cancellationToken);
        try
        {
            var cardToken = await SandboxCheckout.TokenizeAsync(billing, SandboxCheckout.SucceedingCard, cancellationToken);

            using var paid = await SandboxCheckout.PayAsync(billing, order, cardToken, cancellationToken);
            paid.StatusCode.ShouldBe(HttpStatusCode.OK, await paid.Content.ReadAsStringAsync(cancellationToken));
            using var again = await SandboxCheckout.PayAsync(billing, order, cardToken, cancellationToken);
            again.StatusCode.ShouldBe(HttpStatusCode.OK, "paying a paid order again returns the existing payment");

            using var catalogDuringOutage = stack.App.ClientFor("catalog", learnerToken);
            var enrolledEarly = await catalogDuringOutage.GetFromJsonAsync<List<Enrollment>>("/api/catalog/me/enrollments", Json, cancellationToken);
            enrolledEarly!.ShouldNotContain(e => e.CourseId == courseId, "the payment event cannot have crossed a frozen broker");
        }
        finally
        {
            // Not cancellable: a broker left frozen would fail every test after this one.
            await DockerContainers.UnpauseAsync(broker, CancellationToken.None);
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
        var operatorToken = await stack.App.SignInAsync(Accounts.OperatorEmail, Accounts.OperatorPassword, cancellationToken);
        var courseId = await stack.App.PublishPaidCourseAsync(operatorToken, cancellationToken);
        var learner = await stack.App.RegisterLearnerAsync(cancellationToken);
        var learnerToken = await stack.App.SignInAsync(learner.Email, learner.Password, cancellationToken);
        using var billing = stack.App.ClientFor("billing", learnerToken);
        var order = await Purchases.PlaceOrderAsync(billing, courseId, learner.Name, cancellationToken);

        var cardToken = await SandboxCheckout.TokenizeAsync(billing, SandboxCheckout.ConfirmationCard, cancellationToken);
        using var pending = await SandboxCheckout.PayAsync(billing, order, cardToken, cancellationToken);
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

    private sealed record Enrollment(Guid Id, Guid CourseId, Guid? OrderId);

    private sealed record Order(Guid Id, string Status);
}
