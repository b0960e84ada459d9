using Certometer.Billing.Data;
using Certometer.Billing.Gateway;
using Certometer.Billing.Orders;
using Certometer.Billing.Payments;
using Certometer.Contracts.Billing;
using Certometer.Messaging.Outbox;

namespace Certometer.Billing.Refunds;

/// <summary>
/// Refunds a paid order in full through the gateway and records it. Runs inside the caller's transaction, with the
/// order locked (<see cref="OrderLocks"/>), so an order is refunded at most once whoever asks.
/// </summary>
internal sealed class OrderRefunds(BillingDbContext db, IPaymentGateway gateway, TimeProvider clock)
{
    /// <returns>The refund, or the gateway's failure code when it refused.</returns>
    public async Task<(Refund? Refund, string? FailureCode)> RefundAsync(Order order, Payment payment, CancellationToken cancellationToken)
    {
        // One key per order: a retry after any failure gets the gateway's first refund back, never a second one.
        var refunded = await gateway.RefundAsync(
            new RefundRequest(payment.GatewayReference, order.AmountMinor, order.Currency, $"refund/{order.Id:D}"), cancellationToken);
        if (!refunded.Succeeded)
        {
            return (null, refunded.FailureCode ?? "unknown");
        }

        var now = clock.GetUtcNow();
        var refund = new Refund
        {
            Id = Guid.CreateVersion7(now),
            OrderId = order.Id,
            PaymentId = payment.Id,
            GatewayReference = refunded.Reference,
            AmountMinor = order.AmountMinor,
            Currency = order.Currency,
            RefundedAt = now,
        };
        db.Refunds.Add(refund);
        order.Status = OrderStatus.Refunded;
        payment.Status = PaymentStatus.Refunded;
        // An erased buyer's order names a pseudonym and enrolled nobody: there is nobody to tell and nothing to end.
        if (order.BuyerErasedAt is null)
        {
            db.AddIntegrationEvent(new PaymentRefunded(order.Id, order.SubjectId, order.CourseId, order.AmountMinor, order.Currency, now), clock);
        }

        return (refund, null);
    }
}
