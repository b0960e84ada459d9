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
            INSERT INTO invoice_number_series ("Series", "Year", "LastNumber") VALUES ({series}, {year}, 1)
            ON CONFLICT ("Series", "Year") DO UPDATE SET "LastNumber" = invoice_number_series."LastNumber" + 1
            RETURNING "LastNumber" AS "Value"
            """).ToListAsync(cancellationToken)).Single();
        return string.Create(CultureInfo.InvariantCulture, $"{series}-{year:D4}-{next:D6}");
    }
}
