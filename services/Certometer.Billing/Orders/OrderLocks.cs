using Certometer.Billing.Data;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Billing.Orders;

/// <summary>Row locks on orders, taken before any change to an order's payment state.</summary>
internal static class OrderLocks
{
    /// <returns>False when there is no such order.</returns>
    public static async Task<bool> LockAsync(BillingDbContext db, Guid orderId, CancellationToken cancellationToken) =>
        (await db.Database.SqlQuery<Guid>($"""SELECT id AS "Value" FROM orders WHERE id = {orderId} FOR UPDATE""")
            .ToListAsync(cancellationToken)).Count == 1;
}
