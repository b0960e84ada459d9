using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certometer.PrivacyRights.Audit;

/// <summary>How <see cref="AuditEntry"/> is stored.</summary>
internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> entry)
    {
        entry.ToTable("audit_entries");
        entry.HasKey(e => e.Sequence);
        entry.Property(e => e.Sequence).ValueGeneratedNever();
        entry.Property(e => e.Action).HasMaxLength(40);
        entry.Property(e => e.Actor).HasMaxLength(64);
        entry.Property(e => e.RequestStatus).HasMaxLength(20);
        entry.Property(e => e.RequestStage).HasMaxLength(20);
        entry.Property(e => e.ReceiptDigest).HasMaxLength(64);
        entry.Property(e => e.PreviousHash).HasMaxLength(64);
        entry.Property(e => e.Hash).HasMaxLength(64);
        entry.HasIndex(e => e.RequestId).HasDatabaseName("ix_audit_entries_request_id");
    }
}
