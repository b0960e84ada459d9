using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certometer.PrivacyRights.Audit;

/// <summary>How <see cref="PendingAuditEntry"/> is stored.</summary>
internal sealed class PendingAuditEntryConfiguration : IEntityTypeConfiguration<PendingAuditEntry>
{
    public void Configure(EntityTypeBuilder<PendingAuditEntry> entry)
    {
        entry.ToTable("audit_pending");
        entry.HasKey(e => e.Order);
        entry.Property(e => e.Order).ValueGeneratedNever();
        entry.Property(e => e.Action).HasMaxLength(40);
        entry.Property(e => e.Actor).HasMaxLength(64);
        entry.Property(e => e.RequestStatus).HasMaxLength(20);
        entry.Property(e => e.RequestStage).HasMaxLength(20);
        entry.Property(e => e.ReceiptDigest).HasMaxLength(64);
    }
}
