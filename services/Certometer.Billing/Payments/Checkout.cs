using Certometer.Billing.Data;
using Certometer.Billing.Gateway;
using Certometer.Billing.Invoices;
using Certometer.Billing.Orders;
using Certometer.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Billing.Payments;

/// <summary>Pays an order with a card token: at most one successful charge per order, whatever fails or repeats.</summary>
internal sealed class Checkout(BillingDbContext db, IPaymentGateway gateway, PaymentOutcomes outcomes, TimeProvider clock)
{
    public async Task<CheckoutResult> PayAsync(Guid subjectId, Guid orderId, string cardToken, CancellationToken cancellationToken)
    {
        return await db.InTransactionAsync(
            async ct =>
            {
                // The order row lock makes a second payment request for the same order wait, then see the first one's result.
                // The gateway call happens under it: holding a lock that long is the price of never racing two charges.
                if (!await OrderLocks.LockAsync(db, orderId, ct))
                {
                    return CheckoutResult.NotFound;
                }

                var order = await db.Orders.SingleOrDefaultAsync(o => o.Id == orderId && o.SubjectId == subjectId, ct);
                if (order is null)
                {
                    return CheckoutResult.NotFound;
                }

                var latest = await db.Payments.Where(p => p.OrderId == orderId).OrderByDescending(p => p.Attempt).FirstOrDefaultAsync(ct);
                switch (order.Status)
                {
                    case OrderStatus.Paid or OrderStatus.AwaitingConfirmation:
                        var invoice = await db.Invoices.AsNoTracking().SingleOrDefaultAsync(i => i.OrderId == orderId, ct);
                        return new CheckoutResult(CheckoutKind.AlreadyPaid, order, latest, invoice);
                    case OrderStatus.Refunded:
                        return new CheckoutResult(CheckoutKind.Refunded, order, latest, null);
                }

                // A new attempt only after a decline; a retry after a failure anywhere reuses the attempt number, and
                // with it the gateway idempotency key, so the gateway answers with the charge it already made.
                var attempt = (latest?.Attempt ?? 0) + 1;
                var charge = await gateway.ChargeAsync(
                    new ChargeRequest(cardToken, order.AmountMinor, order.Currency, Payment.GatewayKey(order.Id, attempt), order.Id), ct);
                var payment = new Payment
                {
                    Id = Guid.CreateVersion7(),
                    OrderId = order.Id,
                    Attempt = attempt,
                    GatewayReference = charge.Reference,
                    Status = PaymentStatus.Pending,
                    CardBrand = charge.Card?.Brand,
                    CardLast4 = charge.Card?.Last4,
                    CardExpiryMonth = charge.Card?.ExpiryMonth,
                    CardExpiryYear = charge.Card?.ExpiryYear,
                    CreatedAt = clock.GetUtcNow(),
                };
                db.Payments.Add(payment);

                CheckoutResult result;
                switch (charge.Outcome)
                {
                    case ChargeOutcome.Succeeded:
                        var issued = await outcomes.SucceedAsync(order, payment, ct);
                        result = new CheckoutResult(CheckoutKind.Paid, order, payment, issued);
                        break;
                    case ChargeOutcome.RequiresConfirmation:
                        order.Status = OrderStatus.AwaitingConfirmation;
                        result = new CheckoutResult(CheckoutKind.AwaitingConfirmation, order, payment, null);
                        break;
                    default:
                        outcomes.Decline(order, payment, charge.DeclineCode ?? "declined");
                        result = new CheckoutResult(CheckoutKind.Declined, order, payment, null);
                        break;
                }

                await db.SaveAndCommitAsync(ct);
                return result;
            },
            cancellationToken);
    }
}

/// <summary>How a payment request ended.</summary>
internal enum CheckoutKind
{
    NotFound,
    Paid,
    AlreadyPaid,
    AwaitingConfirmation,
    Declined,
    Refunded,
}

internal sealed record CheckoutResult(CheckoutKind Kind, Order? Order, Payment? Payment, Invoice? Invoice)
{
    public static CheckoutResult NotFound { get; } = new(CheckoutKind.NotFound, null, null, null);
}
