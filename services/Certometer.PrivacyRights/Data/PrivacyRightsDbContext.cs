using Certometer.Messaging;
using Certometer.PrivacyRights.Audit;
using Certometer.PrivacyRights.Consents;
using Certometer.PrivacyRights.Inventory;
using Certometer.PrivacyRights.Policies;
using Certometer.PrivacyRights.Requests;
using Microsoft.EntityFrameworkCore;

namespace Certometer.PrivacyRights.Data;

/// <summary>The PrivacyRights service's own database.</summary>
public sealed class PrivacyRightsDbContext(DbContextOptions<PrivacyRightsDbContext> options) : DbContext(options)
{
    public DbSet<PersonalDataHolder> PersonalDataHolders => Set<PersonalDataHolder>();

    public DbSet<PrivacyRequest> Requests => Set<PrivacyRequest>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<ConsentLedgerEntry> ConsentLedger => Set<ConsentLedgerEntry>();

    public DbSet<PolicyVersion> PolicyVersions => Set<PolicyVersion>();

    public DbSet<PolicyAcceptance> PolicyAcceptances => Set<PolicyAcceptance>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.Entity<PersonalDataHolder>(holder =>
        {
            holder.ToTable("personal_data_holders");
            holder.HasKey(h => h.Service);
            holder.Property(h => h.Service).HasColumnName("service").HasMaxLength(100);
            holder.Property(h => h.Categories).HasColumnName("categories").HasColumnType("jsonb");
            holder.Property(h => h.OnRestriction).HasColumnName("on_restriction").HasMaxLength(1000);
            holder.Property(h => h.DeclaredAt).HasColumnName("declared_at");
        });

        modelBuilder.Entity<PrivacyRequest>(request =>
        {
            request.ToTable("privacy_requests");
            request.HasKey(r => r.Id);
            request.Property(r => r.Id).HasColumnName("id").ValueGeneratedNever();
            request.Property(r => r.SubjectId).HasColumnName("subject_id");
            request.Property(r => r.Kind).HasColumnName("kind").HasConversion<string>().HasMaxLength(40);
            request.Property(r => r.Status).HasColumnName("status").HasConversion<string>().HasMaxLength(20);
            request.Property(r => r.ContactEmail).HasColumnName("contact_email").HasMaxLength(254);
            request.Property(r => r.ReceivedAt).HasColumnName("received_at");
            request.Property(r => r.Deadline).HasColumnName("deadline");
            request.Property(r => r.DecidedAt).HasColumnName("decided_at");
            request.Property(r => r.DenialReason).HasColumnName("denial_reason").HasMaxLength(2000);
            request.Property(r => r.ExtendedAt).HasColumnName("extended_at");
            request.Property(r => r.ExtensionReason).HasColumnName("extension_reason").HasMaxLength(2000);
            request.Property(r => r.CancelledAt).HasColumnName("cancelled_at");
            request.Ignore(r => r.IsOpen);
            // The database's own guard against duplicates, behind the check the endpoint makes under the chain lock.
            request.HasIndex(r => new { r.SubjectId, r.Kind })
                .HasDatabaseName("ux_privacy_requests_one_open_per_kind")
                .IsUnique()
                .HasFilter("status IN ('Received', 'Approved')");
            request.HasIndex(r => new { r.Status, r.Deadline }).HasDatabaseName("ix_privacy_requests_status_deadline");
        });

        modelBuilder.Entity<AuditEntry>(entry =>
        {
            entry.ToTable("audit_entries");
            entry.HasKey(e => e.Sequence);
            entry.Property(e => e.Sequence).HasColumnName("sequence").ValueGeneratedNever();
            entry.Property(e => e.RequestId).HasColumnName("request_id");
            entry.Property(e => e.Action).HasColumnName("action").HasMaxLength(40);
            entry.Property(e => e.Actor).HasColumnName("actor").HasMaxLength(64);
            entry.Property(e => e.OccurredAt).HasColumnName("occurred_at");
            entry.Property(e => e.PreviousHash).HasColumnName("previous_hash").HasMaxLength(64);
            entry.Property(e => e.Hash).HasColumnName("hash").HasMaxLength(64);
            entry.HasIndex(e => e.RequestId).HasDatabaseName("ix_audit_entries_request_id");
        });

        modelBuilder.Entity<ConsentLedgerEntry>(consent =>
        {
            consent.ToTable("consent_ledger");
            consent.HasKey(c => c.Id);
            consent.Property(c => c.Id).HasColumnName("id").UseIdentityAlwaysColumn();
            consent.Property(c => c.SubjectPseudonym).HasColumnName("subject_pseudonym").HasMaxLength(64);
            consent.Property(c => c.Kind).HasColumnName("kind").HasMaxLength(20);
            consent.Property(c => c.Given).HasColumnName("given");
            consent.Property(c => c.Source).HasColumnName("source").HasMaxLength(100);
            consent.Property(c => c.PolicyVersion).HasColumnName("policy_version").HasMaxLength(50);
            consent.Property(c => c.RecordedAt).HasColumnName("recorded_at");
            consent.HasIndex(c => new { c.SubjectPseudonym, c.RecordedAt }).HasDatabaseName("ix_consent_ledger_subject");
        });

        modelBuilder.AddPolicyVersions();
    }
}
