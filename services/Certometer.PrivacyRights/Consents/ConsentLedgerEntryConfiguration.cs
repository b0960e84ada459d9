using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certometer.PrivacyRights.Consents;

/// <summary>How <see cref="ConsentLedgerEntry"/> is stored.</summary>
internal sealed class ConsentLedgerEntryConfiguration : IEntityTypeConfiguration<ConsentLedgerEntry>
{
    public void Configure(EntityTypeBuilder<ConsentLedgerEntry> consent)
    {
        consent.ToTable("consent_ledger");
        consent.HasKey(c => c.Id);
        consent.Property(c => c.Id).UseIdentityAlwaysColumn();
        consent.Property(c => c.SubjectPseudonym).HasMaxLength(64);
        consent.Property(c => c.Kind).HasMaxLength(20);
        consent.Property(c => c.Source).HasMaxLength(100);
        consent.Property(c => c.PolicyVersion).HasMaxLength(50);
        consent.HasIndex(c => new { c.SubjectPseudonym, c.Sequence }).HasDatabaseName("ix_consent_ledger_subject");
    }
}
