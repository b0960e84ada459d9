using Certometer.Billing.Data;
using Certometer.Billing.Orders;
using Certometer.Billing.Payments;
using Certometer.Billing.PersonalData;
using Certometer.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Certometer.Billing.Refunds;

/// <summary>
/// Gives back the money of charges that settled after their buyer was erased: nobody is left to enrol, so nothing was
/// bought. Retried every <see cref="ErasedBuyerOptions.ErasedBuyerRefundInterval"/> until the gateway refunds; the order
/// key makes a retry return the first refund, never a second.
/// </summary>
internal sealed partial class ErasedBuyerRefunds(
    IServiceScopeFactory scopeFactory, IOptions<ErasedBuyerOptions> options, ILogger<ErasedBuyerRefunds> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ErasedBuyerRefundInterval);
        try
        {
            do
            {
                try
                {
                    await RefundAllAsync(stoppingToken);
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    LogPassFailed(logger, exception.GetType().Name);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RefundAllAsync(CancellationToken cancellationToken)
    {
        List<Guid> due;
        await using (var scope = scopeFactory.CreateAsyncScope())
        {
            due = await scope.ServiceProvider.GetRequiredService<BillingDbContext>().Orders
                .Where(o => o.BuyerErasedAt != null && o.Status == OrderStatus.Paid)
                .Select(o => o.Id)
                .ToListAsync(cancellationToken);
        }

        foreach (var orderId in due)
        {
            await RefundAsync(orderId, cancellationToken);
        }
    }

    private async Task RefundAsync(Guid orderId, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        var refunds = scope.ServiceProvider.GetRequiredService<OrderRefunds>();
        await db.InTransactionAsync(
            async ct =>
            {
                await OrderLocks.LockAsync(db, orderId, ct);
                var order = await db.Orders.SingleAsync(o => o.Id == orderId, ct);
                var payment = await db.Payments.SingleOrDefaultAsync(p => p.OrderId == orderId && p.Status == PaymentStatus.Succeeded, ct);
                if (order.Status != OrderStatus.Paid || payment is null)
                {
                    return;
                }

                var (refund, failureCode) = await refunds.RefundAsync(order, payment, ct);
                if (refund is null)
                {
                    LogRefused(logger, orderId, failureCode!);
                    return;
                }

                await db.SaveAndCommitAsync(ct);
                LogRefunded(logger, orderId);
            },
            cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Refunded order {OrderId}: its charge settled after its buyer was erased")]
    private static partial void LogRefunded(ILogger logger, Guid orderId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The gateway refused to refund order {OrderId}, whose buyer was erased ({FailureCode}); retrying")]
    private static partial void LogRefused(ILogger logger, Guid orderId, string failureCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refunding erased buyers' settled charges failed ({ExceptionType}); retrying")]
    private static partial void LogPassFailed(ILogger logger, string exceptionType);
}
