using System.Net;
using Certometer.Billing.Orders;
using Certometer.Contracts.Billing;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Billing.Tests;

public sealed class RefundTests(BillingService billing)
{
    [Fact]
    public async Task An_operator_refunds_a_paid_order_once_and_PaymentRefunded_is_staged_once()
    {
        var courseId = await billing.OfferCourseAsync(priceMinor: 4900);
        using var learner = new Learner(billing);
        var paid = await learner.BuyAsync(courseId);
        using var operatorClient = billing.ClientFor(Guid.NewGuid(), "operator");

        using var refund = await operatorClient.PostAsync($"/api/billing/orders/{paid.OrderId}/refunds", null, TestContext.Current.CancellationToken);
        using var again = await operatorClient.PostAsync($"/api/billing/orders/{paid.OrderId}/refunds", null, TestContext.Current.CancellationToken);

        refund.StatusCode.ShouldBe(HttpStatusCode.Created);
        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        again.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await learner.GetOrderAsync(paid.OrderId)).Status.ShouldBe(OrderStatus.Refunded);
        (await billing.QueryAsync(db => db.Refunds.CountAsync(r => r.OrderId == paid.OrderId))).ShouldBe(1);
        var refunded = (await billing.EventsAsync<PaymentRefunded>()).Where(e => e.OrderId == paid.OrderId).ShouldHaveSingleItem();
        (refunded.SubjectId, refunded.CourseId, refunded.AmountMinor).ShouldBe((learner.SubjectId, courseId, 4900L));
    }

    [Fact]
    public async Task An_unpaid_order_cannot_be_refunded_and_learners_cannot_refund()
    {
        var courseId = await billing.OfferCourseAsync();
        using var learner = new Learner(billing);
        var order = await learner.OrderAsync(courseId);
        var paid = await learner.BuyAsync(courseId);
        using var operatorClient = billing.ClientFor(Guid.NewGuid(), "operator");

        using var unpaid = await operatorClient.PostAsync($"/api/billing/orders/{order.Id}/refunds", null, TestContext.Current.CancellationToken);
        using var byLearner = await learner.Client.PostAsync($"/api/billing/orders/{paid.OrderId}/refunds", null, TestContext.Current.CancellationToken);
        using var unknown = await operatorClient.PostAsync($"/api/billing/orders/{Guid.NewGuid()}/refunds", null, TestContext.Current.CancellationToken);

        unpaid.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        byLearner.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await billing.EventsAsync<PaymentRefunded>()).ShouldNotContain(e => e.OrderId == paid.OrderId || e.OrderId == order.Id);
    }
}
