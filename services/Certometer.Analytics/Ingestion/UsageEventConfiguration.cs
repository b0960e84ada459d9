using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certometer.Analytics.Ingestion;

/// <summary>How <see cref="UsageEvent"/> is stored.</summary>
internal sealed class UsageEventConfiguration : IEntityTypeConfiguration<UsageEvent>
{
    public void Configure(EntityTypeBuilder<UsageEvent> usage)
    {
        usage.ToTable("usage_events", table =>
            // Exactly one visitor key: an event is either pseudonymous or anonymous, never both (which would link them).
            table.HasCheckConstraint("ck_usage_events_one_visitor_key", "(pseudonym IS NULL) <> (anonymous_id IS NULL)"));
        usage.HasKey(e => e.Id);
        usage.Property(e => e.Id).UseIdentityAlwaysColumn();
        usage.Property(e => e.Pseudonym).HasMaxLength(64);
        usage.Property(e => e.Page).HasMaxLength(EventRules.MaxPathLength);
        usage.Property(e => e.Area).HasMaxLength(EventRules.MaxPathLength);
        usage.Property(e => e.DeviceType).HasMaxLength(16);
        usage.Property(e => e.Browser).HasMaxLength(24);
        usage.Property(e => e.Language).HasMaxLength(EventRules.MaxLanguageLength);
        usage.Property(e => e.TimeZone).HasMaxLength(EventRules.MaxTimeZoneLength);
        usage.Property(e => e.Referrer).HasMaxLength(EventRules.MaxStoredAddressLength);
        usage.Property(e => e.ExitPage).HasMaxLength(EventRules.MaxStoredAddressLength);
        usage.Property(e => e.Location).HasMaxLength(32);
        // Reports and retention scan by time; export and erasure find a subject's events by pseudonym.
        usage.HasIndex(e => e.OccurredAt).HasDatabaseName("ix_usage_events_occurred_at");
        usage.HasIndex(e => e.Pseudonym).HasDatabaseName("ix_usage_events_pseudonym").HasFilter("pseudonym IS NOT NULL");
    }
}
