using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certometer.Billing.Orders;
using Certometer.Billing.Payments;
using Certometer.Contracts.Billing;
using Certometer.TestInfrastructure;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Billing.Tests;

public sealed class PaymentTests(BillingService billing)
{
    [Fact]
    public async Task A_successful_payment_marks_the_order_paid_and_issues_an_invoice_with_the_tax_it_contains()
    {
        var courseId = await billing.OfferCourseAsync(priceMinor: 9900, currency: "EUR");
        using var learner = new Learner(billing);
        var order = await learner.OrderAsync(courseId);

        using var response = await learner.PayAsync(order.Id, SandboxCheckout.SucceedingCard);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var paid = (await response.Content.ReadFromJsonAsync<PaymentResponse>(TestContext.Current.CancellationToken))!;
        paid.OrderStatus.ShouldBe(OrderStatus.Paid);
        paid.Payment.Status.ShouldBe(PaymentStatus.Succeeded);
        (paid.Payment.CardBrand, paid.Payment.CardLast4, paid.Payment.CardExpiryMonth).ShouldBe(("visa", "4242", 12));
        // 99.00 EUR including 19 % German VAT: 99.00 * 19 / 119 = 15.8067 -> 15.81 tax, 83.19 net.
        var invoice = paid.Invoice!;
        (invoice.TotalMinor, invoice.TaxMinor, invoice.NetMinor, invoice.TaxRatePercent).ShouldBe((9900L, 1581L, 8319L, 19m));
        invoice.Number.ShouldMatch($@"^CM-{DateTime.UtcNow.Year}-\d{{6}}$");

        var stored = await billing.QueryAsync(db => db.Invoices.AsNoTracking().SingleAsync(i => i.OrderId == order.Id));
        stored.BillTo.Name.ShouldBe(learner.Details.Name);
        stored.BillTo.Line1.ShouldBe(learner.Details.Address!.Line1);
        stored.Lines.Single().Description.ShouldBe(order.CourseTitle);
        (await learner.GetOrderAsync(order.Id)).Status.ShouldBe(OrderStatus.Paid);

        var succeeded = (await billing.EventsAsync<PaymentSucceeded>()).Where(e => e.OrderId == order.Id).ShouldHaveSingleItem();
        (succeeded.SubjectId, succeeded.CourseId, succeeded.AmountMinor, succeeded.Currency).ShouldBe((learner.SubjectId, courseId, 9900L, "EUR"));
        (await billing.EventsAsync<InvoiceIssued>()).Where(e => e.OrderId == order.Id).ShouldHaveSingleItem().Number.ShouldBe(invoice.Number);
        billing.Sandbox.ChargesFor(order.Id).ShouldBe(1);
    }

    [Fact]
    public async Task The_tax_rate_follows_the_buyers_country_and_rounds_half_away_from_zero()
    {
        var courseId = await billing.OfferCourseAsync(priceMinor: 1050, currency: "EUR");
        using var learner = new Learner(billing);
        var order = await learner.OrderAsync(courseId, details: Learner.NewDetails("FR"));

        using var response = await learner.PayAsync(order.Id, SandboxCheckout.SucceedingCard);

        // 10.50 EUR including 20 % French VAT: 10.50 * 20 / 120 = 1.75 exactly; 8.75 net.
        var invoice = (await response.Content.ReadFromJsonAsync<PaymentResponse>(TestContext.Current.CancellationToken))!.Invoice!;
        (invoice.TaxRatePercent, invoice.TaxMinor, invoice.NetMinor).ShouldBe((20m, 175L, 875L));
    }

    [Theory]
    [InlineData(SandboxCheckout.DeclinedCard, "card_declined")]
    [InlineData(SandboxCheckout.InsufficientFundsCard, "insufficient_funds")]
    public async Task A_declined_payment_charges_nothing_issues_no_invoice_and_announces_the_decline(string card, string reason)
    {
        var courseId = await billing.OfferCourseAsync();
        using var learner = new Learner(billing);
        var order = await learner.OrderAsync(courseId);

        using var response = await learner.PayAsync(order.Id, card);

        response.StatusCode.ShouldBe(HttpStatusCode.PaymentRequired);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        problem.RootElement.GetProperty("declineCode").GetString().ShouldBe(reason);
        (await learner.GetOrderAsync(order.Id)).Status.ShouldBe(OrderStatus.Declined);
        (await billing.QueryAsync(db => db.Invoices.AnyAsync(i => i.OrderId == order.Id))).ShouldBeFalse();
        (await billing.EventsAsync<PaymentDeclined>()).Where(e => e.OrderId == order.Id).ShouldHaveSingleItem().Reason.ShouldBe(reason);
        (await billing.EventsAsync<PaymentSucceeded>()).ShouldNotContain(e => e.OrderId == order.Id);
        billing.Sandbox.ChargesFor(order.Id).ShouldBe(0);
    }

    [Fact]
    public async Task After_a_decline_another_card_can_pay_the_order()
    {
        var courseId = await billing.OfferCourseAsync();
        using var learner = new Learner(billing);
        var order = await learner.OrderAsync(courseId);
        using var declined = await learner.PayAsync(order.Id, SandboxCheckout.DeclinedCard);

        using var paid = await learner.PayAsync(order.Id, SandboxCheckout.SucceedingCard);

        paid.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await learner.GetOrderAsync(order.Id)).Status.ShouldBe(OrderStatus.Paid);
        billing.Sandbox.ChargesFor(order.Id).ShouldBe(1);
    }

    [Fact]
    public async Task Paying_an_order_twice_charges_it_once_and_answers_with_the_existing_payment()
    {
        var courseId = await billing.OfferCourseAsync();
        using var learner = new Learner(billing);
        var order = await learner.OrderAsync(courseId);
        using var first = await learner.PayAsync(order.Id, SandboxCheckout.SucceedingCard);
        var firstPayment = (await first.Content.ReadFromJsonAsync<PaymentResponse>(TestContext.Current.CancellationToken))!;

        using var second = await learner.PayAsync(order.Id, "5555555555554444");

        second.StatusCode.ShouldBe(HttpStatusCode.OK);
        var secondPayment = (await second.Content.ReadFromJsonAsync<PaymentResponse>(TestContext.Current.CancellationToken))!;
        secondPayment.Payment.Id.ShouldBe(firstPayment.Payment.Id);
        secondPayment.Invoice!.Number.ShouldBe(firstPayment.Invoice!.Number);
        billing.Sandbox.ChargesFor(order.Id).ShouldBe(1);
        (await billing.EventsAsync<PaymentSucceeded>()).Count(e => e.OrderId == order.Id).ShouldBe(1);
    }

    [Fact]
    public async Task Concurrent_payments_of_one_order_charge_it_once()
    {
        var courseId = await billing.OfferCourseAsync();
        using var learner = new Learner(billing);
        var order = await learner.OrderAsync(courseId);
        var tokens = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => learner.TokenizeAsync(SandboxCheckout.SucceedingCard)));

        var responses = await Task.WhenAll(tokens.Select(token => learner.PayWithTokenAsync(order.Id, token)));

        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK);
        billing.Sandbox.ChargesFor(order.Id).ShouldBe(1);
        (await billing.QueryAsync(db => db.Invoices.CountAsync(i => i.OrderId == order.Id))).ShouldBe(1);
        (await billing.EventsAsync<PaymentSucceeded>()).Count(e => e.OrderId == order.Id).ShouldBe(1);
    }

    [Fact]
    public async Task A_payment_without_a_token_or_for_a_malformed_order_id_is_a_bad_request()
    {
        using var learner = new Learner(billing);

        using var noToken = await learner.Client.PostAsJsonAsync(
            $"/api/billing/orders/{Guid.NewGuid()}/payments", new PayOrderRequest(null), TestContext.Current.CancellationToken);
        using var badId = await learner.Client.PostAsJsonAsync(
            "/api/billing/orders/not-an-id/payments", new PayOrderRequest("tok"), TestContext.Current.CancellationToken);

        noToken.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        badId.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        badId.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }
}
