using Certometer.Billing.Data;
using Certometer.Contracts.Catalog;
using Certometer.Messaging.Inbox;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Billing.PriceList;

// One atomic upsert guarded by the version: two offers for the same course arriving together, or out of order,
// leave the higher version in place whichever commits first.

/// <summary>Keeps the local price list at Catalog's latest offer for each course.</summary>
internal sealed class CourseOfferedConsumer(BillingDbContext db) : IdempotentConsumer<CourseOffered, BillingDbContext>(db)
{
    protected override async Task HandleOnceAsync(ConsumeContext<CourseOffered> context, CancellationToken cancellationToken)
    {
        var offer = context.Message;
        await Db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO course_offers (course_id, title, price_minor, currency, version, retired, changed_at)
            VALUES ({offer.CourseId}, {offer.Title}, {offer.PriceMinor}, {offer.Currency.ToUpperInvariant()}, {offer.Version}, FALSE, {offer.OfferedAt})
            ON CONFLICT (course_id) DO UPDATE
            SET title = EXCLUDED.title, price_minor = EXCLUDED.price_minor, currency = EXCLUDED.currency,
                version = EXCLUDED.version, retired = FALSE, changed_at = EXCLUDED.changed_at
            WHERE course_offers.version < EXCLUDED.version
            """,
            cancellationToken);
    }
}

/// <summary>Takes a course off the local price list, so no new order can be placed for it.</summary>
internal sealed class CourseRetiredConsumer(BillingDbContext db) : IdempotentConsumer<CourseRetired, BillingDbContext>(db)
{
    protected override async Task HandleOnceAsync(ConsumeContext<CourseRetired> context, CancellationToken cancellationToken)
    {
        var retired = context.Message;
        // A retirement that overtakes the course's first offer still leaves a row, so that older offer cannot revive it.
        await Db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO course_offers (course_id, title, price_minor, currency, version, retired, changed_at)
            VALUES ({retired.CourseId}, '', 0, '', {retired.Version}, TRUE, {retired.RetiredAt})
            ON CONFLICT (course_id) DO UPDATE
            SET version = EXCLUDED.version, retired = TRUE, changed_at = EXCLUDED.changed_at
            WHERE course_offers.version < EXCLUDED.version
            """,
            cancellationToken);
    }
}
