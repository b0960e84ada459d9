using System.Net;
using System.Net.Http.Json;
using Certometer.Billing.Gateway;
using Certometer.Billing.Orders;
using Certometer.Billing.Payments;
using Certometer.Contracts.Billing;
using Certometer.TestInfrastructure;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Billing.Tests;

public sealed class WebhookTests(BillingService billing)
{
    [Fact]
    public async Task A_charge_needing_confirmation_waits_and_a_correctly_signed_webhook_completes_the_order()
    {
        var (learner, order, charge) = await PendingOrderAsync();

        using var response = await billing.PostWebhookAsync(SandboxGateway.ConfirmationEvent(NewEventId(), charge, approved: true));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var completed = await learner.GetOrderAsync(order.Id);
        completed.Status.ShouldBe(OrderStatus.Paid);
        completed.Invoice.ShouldNotBeNull();
        (await billing.EventsAsync<PaymentSucceeded>()).Count(e => e.OrderId == order.Id).ShouldBe(1);
        (await billing.EventsAsync<InvoiceIssued>()).Count(e => e.OrderId == order.Id).ShouldBe(1);
        learner.Dispose();
    }

    [Fact]
    public async Task A_failed_confirmation_declines_the_order()
    {
        var (learner, order, charge) = await PendingOrderAsync();

        using var response = await billing.PostWebhookAsync(SandboxGateway.ConfirmationEvent(NewEventId(), charge, approved: false));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await learner.GetOrderAsync(order.Id)).Status.ShouldBe(OrderStatus.Declined);
        (await billing.EventsAsync<PaymentDeclined>()).ShouldContain(e => e.OrderId == order.Id && e.Reason == "authentication_failed");
        (await billing.QueryAsync(db => db.Invoices.AnyAsync(i => i.OrderId == order.Id))).ShouldBeFalse();
        learner.Dispose();
    }

    [Fact]
    public async Task A_webhook_with_a_bad_signature_is_refused_with_401_and_an_unsigned_one_with_400_and_neither_changes_anything()
    {
        var (learner, order, charge) = await PendingOrderAsync();
        var body = SandboxGateway.ConfirmationEvent(NewEventId(), charge, approved: true);

        using var wrongSecret = await billing.PostWebhookAsync(body, WebhookSignature.Sign("an-attacker-guessing-the-secret-0123456789", DateTimeOffset.UtcNow, body));
        using var tamperedBody = await billing.PostWebhookAsync(
            body.Replace("charge.succeeded", "charge.failed", StringComparison.Ordinal), WebhookSignature.Sign(BillingService.WebhookSecret, DateTimeOffset.UtcNow, body));
        using var unsigned = await billing.PostWebhookAsync(body, signature: "");

        foreach (var response in new[] { wrongSecret, tamperedBody })
        {
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        }

        unsigned.StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        (await learner.GetOrderAsync(order.Id)).Status.ShouldBe(OrderStatus.AwaitingConfirmation);
        (await billing.EventsAsync<PaymentSucceeded>()).ShouldNotContain(e => e.OrderId == order.Id);
        learner.Dispose();
    }

    [Fact]
    public async Task A_correctly_signed_webhook_with_an_old_timestamp_is_refused()
    {
        var (learner, order, charge) = await PendingOrderAsync();
        var body = SandboxGateway.ConfirmationEvent(NewEventId(), charge, approved: true);

        using var old = await billing.PostWebhookAsync(body, WebhookSignature.Sign(BillingService.WebhookSecret, DateTimeOffset.UtcNow.AddMinutes(-6), body));

        old.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await learner.GetOrderAsync(order.Id)).Status.ShouldBe(OrderStatus.AwaitingConfirmation);
        learner.Dispose();
    }

    [Fact]
    public async Task A_replayed_webhook_is_acknowledged_and_has_no_second_effect()
    {
        var (learner, order, charge) = await PendingOrderAsync();
        var body = SandboxGateway.ConfirmationEvent(NewEventId(), charge, approved: true);
        using var first = await billing.PostWebhookAsync(body);
        var invoice = (await learner.GetOrderAsync(order.Id)).Invoice!;

        var replays = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => billing.PostWebhookAsync(body)));
        // Another event id about the same charge (the gateway retrying with a new event) changes nothing either.
        using var sameCharge = await billing.PostWebhookAsync(SandboxGateway.ConfirmationEvent(NewEventId(), charge, approved: false));

        replays.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK);
        sameCharge.StatusCode.ShouldBe(HttpStatusCode.OK);
        var after = await learner.GetOrderAsync(order.Id);
        after.Status.ShouldBe(OrderStatus.Paid);
        after.Invoice!.Number.ShouldBe(invoice.Number);
        (await billing.QueryAsync(db => db.Invoices.CountAsync(i => i.OrderId == order.Id))).ShouldBe(1);
        (await billing.EventsAsync<PaymentSucceeded>()).Count(e => e.OrderId == order.Id).ShouldBe(1);
        (await billing.EventsAsync<PaymentDeclined>()).ShouldNotContain(e => e.OrderId == order.Id);
        learner.Dispose();
    }

    [Fact]
    public async Task A_webhook_about_an_unknown_charge_is_not_acknowledged_so_the_gateway_retries()
    {
        using var response = await billing.PostWebhookAsync(SandboxGateway.ConfirmationEvent(NewEventId(), $"ch_{Guid.NewGuid()}", approved: true));

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_signed_webhook_that_is_not_an_event_is_a_bad_request()
    {
        using var response = await billing.PostWebhookAsync("""{"hello":"world"}""");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    private async Task<(Learner Learner, OrderResponse Order, string Charge)> PendingOrderAsync()
    {
        var courseId = await billing.OfferCourseAsync();
        var learner = new Learner(billing);
        var order = await learner.OrderAsync(courseId);
        using var response = await learner.PayAsync(order.Id, SandboxCheckout.ConfirmationCard);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await response.Content.ReadFromJsonAsync<PaymentResponse>(TestContext.Current.CancellationToken))!.Payment.Status.ShouldBe(PaymentStatus.Pending);
        var charge = await billing.QueryAsync(db => db.Payments.Where(p => p.OrderId == order.Id).Select(p => p.GatewayReference).SingleAsync());
        return (learner, order, charge);
    }

    private static string NewEventId() => $"evt_{Guid.NewGuid():D}";
}
