using Certometer.Analytics.Collection;
using Certometer.Analytics.Ingestion;
using Certometer.HolderContract.Tombstones;
using Certometer.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Analytics.Data;

/// <summary>The Analytics service's own database.</summary>
public sealed class AnalyticsDbContext(DbContextOptions<AnalyticsDbContext> options) : DbContext(options)
{
    public DbSet<UsageEvent> UsageEvents => Set<UsageEvent>();

    public DbSet<CollectionSwitch> CollectionSwitches => Set<CollectionSwitch>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddOutboxAndInbox().AddErasureTombstones();
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AnalyticsDbContext).Assembly);
    }
}
