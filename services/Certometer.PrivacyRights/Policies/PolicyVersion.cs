using Microsoft.EntityFrameworkCore;

namespace Certometer.PrivacyRights.Policies;

/// <summary>A published privacy policy version; never edited once published, so what a person accepted stays what they read.</summary>
public sealed class PolicyVersion
{
    public required string Version { get; init; }

    public required DateTimeOffset EffectiveAt { get; init; }

    public required string SummaryOfChanges { get; init; }

    /// <summary>Where the full text of this version is published, if operators gave one.</summary>
    public string? Url { get; init; }

    public required DateTimeOffset PublishedAt { get; init; }
}

/// <summary>A person's acceptance of one policy version, kept under their pseudonym so erasure elsewhere never has to touch it.</summary>
public sealed class PolicyAcceptance
{
    public long Id { get; init; }

    public required string SubjectPseudonym { get; init; }

    public required string Version { get; init; }

    public required DateTimeOffset AcceptedAt { get; init; }
}

/// <summary>Which version is in force when, for acceptances, the consent ledger and the anonymous reads.</summary>
internal static class PolicyVersions
{
    /// <summary>The latest version whose effective date has come by <paramref name="at"/>, or null before the first one.</summary>
    public static IQueryable<PolicyVersion> InForceAt(this IQueryable<PolicyVersion> versions, DateTimeOffset at) =>
        versions.Where(p => p.EffectiveAt <= at).OrderByDescending(p => p.EffectiveAt).ThenByDescending(p => p.PublishedAt).Take(1);

    public static ModelBuilder AddPolicyVersions(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<PolicyVersion>(policy =>
        {
            policy.ToTable("policy_versions");
            policy.HasKey(p => p.Version);
            policy.Property(p => p.Version).HasColumnName("version").HasMaxLength(PolicyEndpoints.MaxVersionLength);
            policy.Property(p => p.EffectiveAt).HasColumnName("effective_at");
            policy.Property(p => p.SummaryOfChanges).HasColumnName("summary_of_changes").HasMaxLength(PolicyEndpoints.MaxSummaryLength);
            policy.Property(p => p.Url).HasColumnName("url").HasMaxLength(PolicyEndpoints.MaxUrlLength);
            policy.Property(p => p.PublishedAt).HasColumnName("published_at");
            policy.HasIndex(p => p.EffectiveAt).HasDatabaseName("ix_policy_versions_effective_at");
        });

        modelBuilder.Entity<PolicyAcceptance>(acceptance =>
        {
            acceptance.ToTable("policy_acceptances");
            acceptance.HasKey(a => a.Id);
            acceptance.Property(a => a.Id).HasColumnName("id").UseIdentityAlwaysColumn();
            acceptance.Property(a => a.SubjectPseudonym).HasColumnName("subject_pseudonym").HasMaxLength(64);
            acceptance.Property(a => a.Version).HasColumnName("version").HasMaxLength(PolicyEndpoints.MaxVersionLength);
            acceptance.Property(a => a.AcceptedAt).HasColumnName("accepted_at");
            // One acceptance per person and version: accepting again keeps the first (the proof of when they agreed).
            acceptance.HasIndex(a => new { a.SubjectPseudonym, a.Version }).HasDatabaseName("ux_policy_acceptances_subject_version").IsUnique();
            acceptance.HasOne<PolicyVersion>().WithMany().HasForeignKey(a => a.Version).OnDelete(DeleteBehavior.Restrict);
        });

        return modelBuilder;
    }
}
