using Certometer.Billing.Data;
using Certometer.Billing.Invoices;
using Certometer.Billing.Orders;
using Certometer.Contracts.Billing;
using Certometer.Messaging.Outbox;
using Microsoft.Extensions.Options;

namespace Certometer.Billing.Payments;

/// <summary>
/// What follows from the gateway's verdict on a charge, whether it came back at once or later by webhook. Runs inside
/// the caller's transaction: the order, the payment, the invoice with its number and the events commit together.
/// </summary>
internal sealed partial class PaymentOutcomes(
    BillingDbContext db, IOptions<InvoiceOptions> invoiceOptions, TimeProvider clock, ILogger<PaymentOutcomes> logger)
{
    public async Task<Invoice> SucceedAsync(Order order, Payment payment, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        payment.Status = PaymentStatus.Succeeded;
        payment.CompletedAt = now;
        order.Status = OrderStatus.Paid;
        order.PaidAt = now;

        var invoice = await IssueInvoiceAsync(order, now, cancellationToken);
        if (order.BuyerErasedAt is not null)
        {
            // The buyer was erased while the charge was in flight: the invoice is kept (pseudonymised, like the order)
            // because money was taken, but nobody is left to enrol or to email; ErasedBuyerRefunds gives the money back.
            LogSettledAfterErasure(logger, order.Id);
            return invoice;
        }

        // PaymentSucceeded is the only thing that enrolls the learner, and it commits with the payment: an enrollment
        // never exists without a payment, and the outbox delivers it until Catalog has it.
        db.AddIntegrationEvent(new PaymentSucceeded(order.Id, order.SubjectId, order.CourseId, order.AmountMinor, order.Currency, now), clock);
        db.AddIntegrationEvent(
            new InvoiceIssued(invoice.Id, order.Id, order.SubjectId, invoice.Number, invoice.TotalMinor, invoice.Currency, invoice.IssuedAt),
            clock);
        return invoice;
    }

    public void Decline(Order order, Payment payment, string declineCode)
    {
        var now = clock.GetUtcNow();
        payment.Status = PaymentStatus.Declined;
        payment.DeclineCode = declineCode;
        payment.CompletedAt = now;
        order.Status = OrderStatus.Declined;
        if (order.BuyerErasedAt is null)
        {
            db.AddIntegrationEvent(new PaymentDeclined(order.Id, order.SubjectId, order.CourseId, declineCode, now), clock);
        }
    }

    private async Task<Invoice> IssueInvoiceAsync(Order order, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var settings = invoiceOptions.Value;
        var rate = settings.TaxRateFor(order.BillingDetails.Country);
        var (net, tax) = TaxCalculation.SplitGross(order.AmountMinor, rate);
        var invoice = new Invoice
        {
            Id = Guid.CreateVersion7(now),
            OrderId = order.Id,
            Number = await InvoiceNumbering.NextAsync(db, settings.Series, now.UtcDateTime.Year, cancellationToken),
            SubjectId = order.SubjectId,
            // A copy: correcting the order's billing details later must not rewrite an issued invoice.
            BillTo = order.BillingDetails.Copy(),
            Lines = [new InvoiceLine { Description = order.CourseTitle, Quantity = 1, NetMinor = net, TaxMinor = tax, TotalMinor = order.AmountMinor }],
            Currency = order.Currency,
            NetMinor = net,
            TaxRatePercent = rate,
            TaxMinor = tax,
            TotalMinor = order.AmountMinor,
            IssuedAt = now,
        };
        db.Invoices.Add(invoice);
        return invoice;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The charge for order {OrderId} settled after its buyer was erased; the invoice is kept pseudonymised and the charge will be refunded")]
    private static partial void LogSettledAfterErasure(ILogger logger, Guid orderId);
}
