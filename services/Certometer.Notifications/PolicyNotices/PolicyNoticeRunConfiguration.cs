using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certometer.Notifications.PolicyNotices;

/// <summary>How <see cref="PolicyNoticeRun"/> is stored.</summary>
internal sealed class PolicyNoticeRunConfiguration : IEntityTypeConfiguration<PolicyNoticeRun>
{
    public void Configure(EntityTypeBuilder<PolicyNoticeRun> run)
    {
        run.ToTable("policy_notice_runs");
        run.HasKey(r => r.Version);
        run.Property(r => r.Version).HasMaxLength(50);
        run.Property(r => r.SummaryOfChanges).HasMaxLength(4000);
        run.HasIndex(r => r.PublishedAt).HasDatabaseName("ix_policy_notice_runs_unfinished").HasFilter("completed_at IS NULL");
    }
}
