using System.Text.Json;
using Certometer.Billing.Data;
using Certometer.Billing.Invoices;
using Certometer.Billing.Orders;
using Certometer.Contracts.Privacy;
using Certometer.HolderContract;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Certometer.Billing.PersonalData;

/// <summary>What Billing does with a subject's orders, payments, invoices and billing details for each right.</summary>
internal sealed class BillingSubjectData(
    BillingDbContext db, IOptions<InvoiceOptions> invoiceOptions, IOptions<ErasedBuyerOptions> erasedBuyerOptions, TimeProvider clock)
    : ISubjectDataExporter, ISubjectDataEraser, IProcessingRestriction, ISubjectDataRectifier
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<SubjectDataExport> ExportAsync(Guid subjectId, CancellationToken cancellationToken)
    {
        var orders = await db.Orders.AsNoTracking().Where(o => o.SubjectId == subjectId).OrderBy(o => o.CreatedAt).ToListAsync(cancellationToken);
        var orderIds = orders.Select(o => o.Id).ToList();
        var payments = await db.Payments.AsNoTracking().Where(p => orderIds.Contains(p.OrderId)).OrderBy(p => p.CreatedAt).ToListAsync(cancellationToken);
        var invoices = await db.Invoices.AsNoTracking().Where(i => i.SubjectId == subjectId).OrderBy(i => i.IssuedAt).ToListAsync(cancellationToken);
        var refunds = await db.Refunds.AsNoTracking().Where(r => orderIds.Contains(r.OrderId)).ToListAsync(cancellationToken);
        var restricted = await db.ProcessingRestrictions.AnyAsync(r => r.SubjectId == subjectId, cancellationToken);

        // Gateway references and idempotency keys are left out: they identify records at the gateway, not the person.
        var part = new
        {
            billingDetails = orders.Select(o => OrderViews.Details(o.BillingDetails)).Distinct().ToList(),
            orders = orders.Select(o => new { o.Id, o.CourseId, o.CourseTitle, o.AmountMinor, o.Currency, o.Status, o.CreatedAt, o.PaidAt }),
            payments = payments.Select(p => new
            {
                p.OrderId,
                p.Status,
                p.DeclineCode,
                card = p.CardBrand is null ? null : new { brand = p.CardBrand, last4 = p.CardLast4, expiryMonth = p.CardExpiryMonth, expiryYear = p.CardExpiryYear },
                p.CreatedAt,
            }),
            invoices = invoices.Select(i => new
            {
                i.Number,
                i.OrderId,
                billTo = OrderViews.Details(i.BillTo),
                lines = i.Lines.Select(l => new { l.Description, l.Quantity, l.NetMinor, l.TaxMinor, l.TotalMinor }),
                i.Currency,
                i.NetMinor,
                i.TaxRatePercent,
                i.TaxMinor,
                i.TotalMinor,
                i.IssuedAt,
            }),
            refunds = refunds.Select(r => new { r.OrderId, r.AmountMinor, r.Currency, r.RefundedAt }),
            processingRestricted = restricted,
        };
        return new SubjectDataExport(JsonSerializer.Serialize(part, Json), orders.Count + payments.Count + invoices.Count + refunds.Count);
    }

    public async Task<IReadOnlyList<ErasureReceiptLine>> EraseAsync(Guid subjectId, CancellationToken cancellationToken)
    {
        var settings = invoiceOptions.Value;
        var pseudonym = erasedBuyerOptions.Value.PseudonymOf(subjectId);
        var now = clock.GetUtcNow();

        var invoices = await db.Invoices.Where(i => i.SubjectId == subjectId).ToListAsync(cancellationToken);
        var orders = await db.Orders.Where(o => o.SubjectId == subjectId).ToListAsync(cancellationToken);
        var orderIds = orders.Select(o => o.Id).ToList();
        var payments = await db.Payments.Where(p => orderIds.Contains(p.OrderId)).ToListAsync(cancellationToken);

        // Card details are never needed to back an invoice: the gateway reference is.
        var cards = 0;
        foreach (var payment in payments.Where(p => p.CardBrand is not null || p.CardLast4 is not null || p.CardExpiryYear is not null))
        {
            (payment.CardBrand, payment.CardLast4, payment.CardExpiryMonth, payment.CardExpiryYear) = (null, null, null, null);
            cards++;
        }

        var invoiced = invoices.Select(i => i.OrderId).ToHashSet();
        // A charge the gateway may still confirm cannot simply be forgotten: a later confirmation would take money for
        // an order nobody holds. It is kept, pseudonymised like an invoiced one, until the verdict settles it.
        var pending = orders.Where(o => !invoiced.Contains(o.Id) && o.Status == OrderStatus.AwaitingConfirmation).ToList();
        var kept = invoiced.Concat(pending.Select(o => o.Id)).ToHashSet();
        var erasedOrders = orders.Where(o => !kept.Contains(o.Id)).ToList();
        db.Payments.RemoveRange(payments.Where(p => !kept.Contains(p.OrderId)));
        db.Orders.RemoveRange(erasedOrders);
        foreach (var order in pending)
        {
            order.SubjectId = pseudonym;
            order.BillingDetails = Pseudonymised(order.BillingDetails, pseudonym);
            order.RequestFingerprint = null;
            order.BuyerErasedAt = now;
        }

        // Tax law keeps the invoice and the order behind it; the person is replaced by a keyed pseudonym, so the
        // kept records no longer say who bought, but an auditor still sees which invoices went to one buyer.
        var keptOrders = orders.Where(o => invoiced.Contains(o.Id)).ToList();
        foreach (var order in keptOrders)
        {
            order.SubjectId = pseudonym;
            order.BillingDetails = Pseudonymised(order.BillingDetails, pseudonym);
            order.RequestFingerprint = null;
        }

        foreach (var invoice in invoices)
        {
            invoice.SubjectId = pseudonym;
            invoice.BillTo = Pseudonymised(invoice.BillTo, pseudonym);
            invoice.PseudonymisedAt = now;
        }

        await db.ProcessingRestrictions.Where(r => r.SubjectId == subjectId).ExecuteDeleteAsync(cancellationToken);

        var lines = new List<ErasureReceiptLine>
        {
            new(BillingPersonalData.PaymentCards, ErasureAction.Erase, cards),
            new(BillingPersonalData.OrdersAndPayments, ErasureAction.Erase, erasedOrders.Count),
        };
        if (invoices.Count > 0)
        {
            var retainedUntil = DateOnly.FromDateTime(invoices.Max(i => i.IssuedAt).UtcDateTime).AddYears(settings.RetentionYears);
            lines.Add(new(BillingPersonalData.Invoices, ErasureAction.Pseudonymise, invoices.Count, settings.RetentionLegalBasis, retainedUntil));
            lines.Add(new(BillingPersonalData.OrdersAndPayments, ErasureAction.Pseudonymise, keptOrders.Count, settings.RetentionLegalBasis, retainedUntil));
        }
        else
        {
            lines.Add(new(BillingPersonalData.Invoices, ErasureAction.Erase, 0));
        }

        if (pending.Count > 0)
        {
            var retainedUntil = DateOnly.FromDateTime(now.UtcDateTime).AddYears(settings.RetentionYears);
            lines.Add(new(BillingPersonalData.OrdersAndPayments, ErasureAction.Pseudonymise, pending.Count, BillingPersonalData.PendingChargeLegalBasis, retainedUntil));
        }

        return lines;
    }

    public async Task RestrictAsync(Guid subjectId, CancellationToken cancellationToken)
    {
        if (!await db.ProcessingRestrictions.AnyAsync(r => r.SubjectId == subjectId, cancellationToken))
        {
            db.ProcessingRestrictions.Add(new ProcessingRestriction { SubjectId = subjectId, RestrictedAt = clock.GetUtcNow() });
        }
    }

    public Task LiftAsync(Guid subjectId, CancellationToken cancellationToken) =>
        db.ProcessingRestrictions.Where(r => r.SubjectId == subjectId).ExecuteDeleteAsync(cancellationToken);

    /// <remarks>
    /// Only orders not yet invoiced change, so the corrected name and address are on every invoice issued from now
    /// on, while issued invoices stay as they were issued. A required field that was cleared in the profile is left
    /// as it is: an invoice cannot go without it.
    /// </remarks>
    public async Task RectifyAsync(Guid subjectId, IReadOnlyDictionary<string, string?> changedFields, CancellationToken cancellationToken)
    {
        var open = await db.Orders
            .Where(o => o.SubjectId == subjectId && o.Status != OrderStatus.Paid && o.Status != OrderStatus.Refunded)
            .ToListAsync(cancellationToken);
        foreach (var order in open)
        {
            var details = order.BillingDetails.Copy();
            foreach (var (field, value) in changedFields)
            {
                var text = string.IsNullOrWhiteSpace(value) ? null : value.Trim();
                switch (field)
                {
                    case "name" when text is not null: details.Name = text; break;
                    case "mailingAddress.line1" when text is not null: details.Line1 = text; break;
                    case "mailingAddress.line2": details.Line2 = text; break;
                    case "mailingAddress.city" when text is not null: details.City = text; break;
                    case "mailingAddress.region": details.Region = text; break;
                    case "mailingAddress.postalCode" when text is not null: details.PostalCode = text; break;
                    case "mailingAddress.country" when OrderRules.IsCountryCode(text): details.Country = text!.ToUpperInvariant(); break;
                }
            }

            order.BillingDetails = details;
        }
    }

    private static BillingDetails Pseudonymised(BillingDetails details, Guid pseudonym) => new()
    {
        Name = $"pseudonym-{pseudonym:N}",
        Line1 = "",
        Line2 = null,
        City = "",
        Region = null,
        PostalCode = "",
        Country = details.Country,
    };
}
