using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Certometer.Billing.Orders;
using Certometer.Billing.Payments;
using Certometer.Contracts.Billing;
using Certometer.TestInfrastructure;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Billing.Tests;

public sealed class ConsistencyTests(BillingService billing)
{
    [Fact]
    public async Task Concurrent_payments_of_different_orders_get_distinct_consecutive_invoice_numbers_with_no_gap()
    {
        var courseId = await billing.OfferCourseAsync();
        var learners = Enumerable.Range(0, 8).Select(_ => new Learner(billing)).ToList();
        var orders = await Task.WhenAll(learners.Select(learner => learner.OrderAsync(courseId)));
        var tokens = await Task.WhenAll(learners.Select(learner => learner.TokenizeAsync(SandboxCheckout.SucceedingCard)));

        var responses = await Task.WhenAll(learners.Select((learner, i) => learner.PayWithTokenAsync(orders[i].Id, tokens[i])));

        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK);
        var numbers = await Task.WhenAll(responses.Select(async r =>
            (await r.Content.ReadFromJsonAsync<PaymentResponse>(TestContext.Current.CancellationToken))!.Invoice!.Number));
        numbers.Distinct().Count().ShouldBe(numbers.Length);
        await AllInvoiceNumbersAreGapFreeAsync();
        learners.ForEach(learner => learner.Dispose());
    }

    [Fact]
    public async Task When_the_database_fails_after_the_gateway_charged_a_retry_completes_the_order_without_charging_again()
    {
        var courseId = await billing.OfferCourseAsync();
        using var learner = new Learner(billing);
        var order = await learner.OrderAsync(courseId);
        var token = await learner.TokenizeAsync(SandboxCheckout.SucceedingCard);
        billing.CommitFailures.FailNextCommitFor(order.Id);

        using var failed = await learner.PayWithTokenAsync(order.Id, token);

        failed.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        failed.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        billing.Sandbox.ChargesFor(order.Id).ShouldBe(1, "the gateway charged before the commit failed");
        (await learner.GetOrderAsync(order.Id)).Status.ShouldBe(OrderStatus.AwaitingPayment, "nothing half-written: the whole transaction rolled back");
        (await billing.QueryAsync(db => db.Payments.AnyAsync(p => p.OrderId == order.Id))).ShouldBeFalse();
        (await billing.EventsAsync<PaymentSucceeded>()).ShouldNotContain(e => e.OrderId == order.Id);

        using var retried = await learner.PayWithTokenAsync(order.Id, token);

        retried.StatusCode.ShouldBe(HttpStatusCode.OK);
        billing.Sandbox.ChargesFor(order.Id).ShouldBe(1, "the retry reused the gateway idempotency key and got the first charge back");
        (await learner.GetOrderAsync(order.Id)).Status.ShouldBe(OrderStatus.Paid);
        (await billing.QueryAsync(db => db.Invoices.CountAsync(i => i.OrderId == order.Id))).ShouldBe(1);
        (await billing.EventsAsync<PaymentSucceeded>()).Count(e => e.OrderId == order.Id).ShouldBe(1);
        (await billing.EventsAsync<InvoiceIssued>()).Count(e => e.OrderId == order.Id).ShouldBe(1);
        await AllInvoiceNumbersAreGapFreeAsync();
    }

    [Fact]
    public async Task A_paid_orders_PaymentSucceeded_leaves_the_outbox_for_the_broker()
    {
        var courseId = await billing.OfferCourseAsync();
        using var learner = new Learner(billing);

        var paid = await learner.BuyAsync(courseId);

        // Delivery itself (including after a broker outage) is the outbox's guarantee, proven in Certometer.Messaging.Tests;
        // here: the event Catalog enrolls on is not just staged but actually published by this service.
        await BillingService.WaitUntilAsync(
            async () => (await billing.QueryAsync(db => db.Set<Certometer.Messaging.Outbox.OutboxMessage>()
                    .Where(m => m.MessageType.StartsWith(typeof(PaymentSucceeded).FullName!) && m.SentAt != null)
                    .Select(m => m.Payload).ToListAsync()))
                .Any(payload => payload.Contains(paid.OrderId.ToString(), StringComparison.Ordinal)),
            "the PaymentSucceeded to be confirmed by the broker");
    }

    /// <summary>Committed invoice numbers in this year's series are exactly 1..N: nothing rolled back left a hole.</summary>
    private async Task AllInvoiceNumbersAreGapFreeAsync()
    {
        var prefix = $"CM-{DateTime.UtcNow.Year}-";
        var numbers = await billing.QueryAsync(db => db.Invoices.Where(i => i.Number.StartsWith(prefix)).Select(i => i.Number).ToListAsync());
        var sequence = numbers.Select(n => long.Parse(n[prefix.Length..], CultureInfo.InvariantCulture)).Order().ToList();
        sequence.ShouldBe(Enumerable.Range(1, sequence.Count).Select(n => (long)n).ToList());
    }
}
