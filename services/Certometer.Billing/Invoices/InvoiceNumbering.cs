using System.Globalization;
using Certometer.Billing.Data;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Billing.Invoices;

/// <summary>Allocates gap-free invoice numbers inside the caller's transaction.</summary>
/// <remarks>
/// The counter row is incremented in place, so it stays locked until the transaction ends: concurrent payments queue
/// on it and get consecutive numbers, and a rolled-back payment rolls its number back too, leaving no gap. A sequence
/// would be faster but never gives a number back.
/// </remarks>
internal static class InvoiceNumbering
{
    public static async Task<string> NextAsync(BillingDbContext db, string series, int year, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Invoice numbers are allocated only inside the transaction that issues the invoice.");
        }

        var next = (await db.Database.SqlQuery<long>(
            $"""
            INSERT INTO invoice_number_series (series, year, last_number) VALUES ({series}, {year}, 1)
            ON CONFLICT (series, year) DO UPDATE SET last_number = invoice_number_series.last_number + 1
            RETURNING last_number AS "Value"
            """).ToListAsync(cancellationToken)).Single();
        return string.Create(CultureInfo.InvariantCulture, $"{series}-{year:D4}-{next:D6}");
    }
}
