using Certometer.Auth;
using Certometer.Billing.Data;
using Certometer.Billing.Orders;
using Certometer.Billing.Payments;
using Certometer.Persistence;
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
        Guid id, BillingDbContext db, OrderRefunds refunds, CancellationToken cancellationToken)
    {
        return await db.InTransactionAsync<Results<Created<RefundResponse>, NotFound, ProblemHttpResult>>(
            async ct =>
            {
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

                var (refund, failureCode) = await refunds.RefundAsync(order, payment, ct);
                if (refund is null)
                {
                    return TypedResults.Problem(
                        title: "The gateway refused the refund.",
                        detail: failureCode,
                        statusCode: StatusCodes.Status502BadGateway);
                }

                await db.SaveAndCommitAsync(ct);
                return TypedResults.Created(
                    $"/api/billing/orders/{order.Id}/refunds/{refund.Id}",
                    new RefundResponse(refund.Id, order.Id, refund.AmountMinor, refund.Currency, refund.RefundedAt));
            },
            cancellationToken);
    }
}
