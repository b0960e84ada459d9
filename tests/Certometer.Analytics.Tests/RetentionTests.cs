using Certometer.Analytics.Ingestion;
using Certometer.Analytics.PersonalData;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Certometer.Analytics.Tests;

public sealed class RetentionTests(AnalyticsService analytics)
{
    [Fact]
    public async Task Usage_events_older_than_thirteen_months_are_deleted_and_younger_ones_kept()
    {
        var visitor = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        await analytics.Main.QueryAsync(db =>
        {
            db.UsageEvents.AddRange(Stored(visitor, "/old", now.AddDays(-397)), Stored(visitor, "/recent", now.AddDays(-395)));
            return db.SaveChangesAsync(TestContext.Current.CancellationToken);
        });

        var retention = analytics.Main.Factory.Services.GetServices<IHostedService>().OfType<Retention>().Single();
        await retention.PruneAsync(TestContext.Current.CancellationToken);

        var kept = await analytics.Main.QueryAsync(db => db.UsageEvents.Where(e => e.AnonymousId == visitor)
            .Select(e => e.Page).ToListAsync(TestContext.Current.CancellationToken));
        kept.ShouldBe(["/recent"]);
    }

    private static UsageEvent Stored(Guid visitor, string page, DateTimeOffset at) => new()
    {
        AnonymousId = visitor,
        OccurredAt = at,
        Page = page,
        Area = page.Trim('/'),
        DeviceType = "desktop",
        Location = "unknown",
    };
}
