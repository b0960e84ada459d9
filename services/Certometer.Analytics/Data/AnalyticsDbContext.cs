using Certometer.Analytics.Collection;
using Certometer.Analytics.Ingestion;
using Certometer.Messaging;
using Certometer.Privacy.Tombstones;
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

        modelBuilder.Entity<UsageEvent>(usage =>
        {
            usage.ToTable("usage_events", table =>
                // Exactly one visitor key: an event is either pseudonymous or anonymous, never both (which would link them).
                table.HasCheckConstraint("ck_usage_events_one_visitor_key", "(pseudonym IS NULL) <> (anonymous_id IS NULL)"));
            usage.HasKey(e => e.Id);
            usage.Property(e => e.Id).HasColumnName("id").UseIdentityAlwaysColumn();
            usage.Property(e => e.Pseudonym).HasColumnName("pseudonym").HasMaxLength(64);
            usage.Property(e => e.AnonymousId).HasColumnName("anonymous_id");
            usage.Property(e => e.OccurredAt).HasColumnName("occurred_at");
            usage.Property(e => e.Page).HasColumnName("page").HasMaxLength(EventRules.MaxPathLength);
            usage.Property(e => e.Area).HasColumnName("area").HasMaxLength(EventRules.MaxPathLength);
            usage.Property(e => e.DeviceType).HasColumnName("device_type").HasMaxLength(16);
            usage.Property(e => e.Browser).HasColumnName("browser").HasMaxLength(24);
            usage.Property(e => e.Language).HasColumnName("language").HasMaxLength(EventRules.MaxLanguageLength);
            usage.Property(e => e.TimeZone).HasColumnName("time_zone").HasMaxLength(EventRules.MaxTimeZoneLength);
            usage.Property(e => e.ScreenWidth).HasColumnName("screen_width");
            usage.Property(e => e.ScreenHeight).HasColumnName("screen_height");
            usage.Property(e => e.Referrer).HasColumnName("referrer").HasMaxLength(EventRules.MaxStoredAddressLength);
            usage.Property(e => e.ExitPage).HasColumnName("exit_page").HasMaxLength(EventRules.MaxStoredAddressLength);
            usage.Property(e => e.Location).HasColumnName("location").HasMaxLength(32);
            // Reports and retention scan by time; export and erasure find a subject's events by pseudonym.
            usage.HasIndex(e => e.OccurredAt).HasDatabaseName("ix_usage_events_occurred_at");
            usage.HasIndex(e => e.Pseudonym).HasDatabaseName("ix_usage_events_pseudonym").HasFilter("pseudonym IS NOT NULL");
        });

        modelBuilder.Entity<CollectionSwitch>(choice =>
        {
            choice.ToTable("collection_switches");
            choice.HasKey(c => c.Pseudonym);
            choice.Property(c => c.Pseudonym).HasColumnName("pseudonym").HasMaxLength(64);
            choice.Property(c => c.CollectionAllowed).HasColumnName("collection_allowed");
            choice.Property(c => c.ChoiceMadeAt).HasColumnName("choice_made_at");
            choice.Property(c => c.ConsentSequence).HasColumnName("consent_sequence");
            choice.Property(c => c.Restricted).HasColumnName("restricted");
        });
    }
}
