using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certometer.PrivacyRights.Policies;

/// <summary>How <see cref="PolicyVersion"/> is stored.</summary>
internal sealed class PolicyVersionConfiguration : IEntityTypeConfiguration<PolicyVersion>
{
    public void Configure(EntityTypeBuilder<PolicyVersion> policy)
    {
        policy.ToTable("policy_versions");
        policy.HasKey(p => p.Version);
        policy.Property(p => p.Version).HasMaxLength(PolicyEndpoints.MaxVersionLength);
        policy.Property(p => p.SummaryOfChanges).HasMaxLength(PolicyEndpoints.MaxSummaryLength);
        policy.Property(p => p.Url).HasMaxLength(PolicyEndpoints.MaxUrlLength);
        policy.HasIndex(p => p.EffectiveAt).HasDatabaseName("ix_policy_versions_effective_at");
    }
}

/// <summary>How <see cref="PolicyAcceptance"/> is stored.</summary>
internal sealed class PolicyAcceptanceConfiguration : IEntityTypeConfiguration<PolicyAcceptance>
{
    public void Configure(EntityTypeBuilder<PolicyAcceptance> acceptance)
    {
        acceptance.ToTable("policy_acceptances");
        acceptance.HasKey(a => a.Id);
        acceptance.Property(a => a.Id).UseIdentityAlwaysColumn();
        acceptance.Property(a => a.SubjectPseudonym).HasMaxLength(64);
        acceptance.Property(a => a.Version).HasMaxLength(PolicyEndpoints.MaxVersionLength);
        // One acceptance per person and version: accepting again keeps the first (the proof of when they agreed).
        acceptance.HasIndex(a => new { a.SubjectPseudonym, a.Version }).HasDatabaseName("ux_policy_acceptances_subject_version").IsUnique();
        acceptance.HasOne<PolicyVersion>().WithMany().HasForeignKey(a => a.Version).OnDelete(DeleteBehavior.Restrict);
    }
}
