using Certometer.Auth;
using Certometer.Billing.Data;
using Certometer.Billing.Gateway;
using Certometer.Billing.Orders;
using Certometer.Billing.Payments;
using Certometer.Contracts.Billing;
using Certometer.Messaging.Outbox;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Billing.Refunds;

/// <summary>A full refund of an order, as the gateway made it.</summary>
public sealed record RefundResponse(Guid Id, Guid OrderId, long AmountMinor, string Currency, DateTimeOffset RefundedAt);

internal static class RefundEndpoints
{
    public static IEndpointRouteBuilder MapRefundEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/billing/orders/{id}/refunds", RefundOrder)
            .RequireAuthorization(PlatformPolicies.Operator)
            .WithTags("Refunds")
            .WithName("RefundOrder")
            .WithSummary("Refunds a paid order in full through the gateway; Catalog ends the enrollment. An order is refunded at most once.");
        return app;
    }

    private static async Task<Results<Created<RefundResponse>, NotFound, ProblemHttpResult>> RefundOrder(
        Guid id, BillingDbContext db, IPaymentGateway gateway, TimeProvider clock, CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync<Results<Created<RefundResponse>, NotFound, ProblemHttpResult>>(
            async ct =>
            {
                db.ChangeTracker.Clear();
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                if (!await OrderLocks.LockAsync(db, id, ct))
                {
                    return TypedResults.NotFound();
                }

                var order = await db.Orders.SingleAsync(o => o.Id == id, ct);
                if (order.Status == OrderStatus.Refunded)
                {
                    return TypedResults.Problem(title: "This order has already been refunded.", statusCode: StatusCodes.Status409Conflict);
                }

                var payment = await db.Payments.SingleOrDefaultAsync(p => p.OrderId == id && p.Status == PaymentStatus.Succeeded, ct);
                if (order.Status != OrderStatus.Paid || payment is null)
                {
                    return TypedResults.Problem(title: "Only a paid order can be refunded.", statusCode: StatusCodes.Status409Conflict);
                }

                // One key per order: a retry after any failure gets the gateway's first refund back, never a second one.
                var refunded = await gateway.RefundAsync(
                    new RefundRequest(payment.GatewayReference, order.AmountMinor, order.Currency, $"refund/{order.Id:D}"), ct);
                if (!refunded.Succeeded)
                {
                    return TypedResults.Problem(
                        title: "The gateway refused the refund.",
                        detail: refunded.FailureCode,
                        statusCode: StatusCodes.Status502BadGateway);
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
                db.AddIntegrationEvent(new PaymentRefunded(order.Id, order.SubjectId, order.CourseId, order.AmountMinor, order.Currency, now), clock);
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                return TypedResults.Created(
                    $"/api/billing/orders/{order.Id}/refunds/{refund.Id}",
                    new RefundResponse(refund.Id, order.Id, refund.AmountMinor, refund.Currency, refund.RefundedAt));
            },
            cancellationToken);
    }
}
