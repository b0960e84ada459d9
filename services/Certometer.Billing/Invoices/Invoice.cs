using Certometer.Billing.Orders;

namespace Certometer.Billing.Invoices;

/// <summary>
/// An issued invoice. Never changed after issue except to pseudonymise the buyer on erasure: tax law requires
/// it to be kept as issued.
/// </summary>
internal sealed class Invoice
{
    public Guid Id { get; init; }

    public Guid OrderId { get; init; }

    /// <summary>Gap-free per series and year, e.g. <c>CM-2026-000001</c>.</summary>
    public required string Number { get; init; }

    public Guid SubjectId { get; set; }

    public required BillingDetails BillTo { get; set; }

    public required List<InvoiceLine> Lines { get; init; }

    public required string Currency { get; init; }

    public long NetMinor { get; init; }

    public decimal TaxRatePercent { get; init; }

    public long TaxMinor { get; init; }

    public long TotalMinor { get; init; }

    public DateTimeOffset IssuedAt { get; init; }

    public DateTimeOffset? PseudonymisedAt { get; set; }
}

/// <summary>One line of an invoice; amounts in minor units of the invoice currency.</summary>
internal sealed class InvoiceLine
{
    public required string Description { get; init; }

    public int Quantity { get; init; }

    public long NetMinor { get; init; }

    public long TaxMinor { get; init; }

    public long TotalMinor { get; init; }
}

/// <summary>The last number handed out in one invoice series and year.</summary>
internal sealed class InvoiceNumberSeries
{
    public required string Series { get; init; }

    public int Year { get; init; }

    public long LastNumber { get; set; }
}
