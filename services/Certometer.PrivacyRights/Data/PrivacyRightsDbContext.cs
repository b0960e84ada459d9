using Certometer.Messaging;
using Certometer.Privacy.Tombstones;
using Certometer.PrivacyRights.Access;
using Certometer.PrivacyRights.Audit;
using Certometer.PrivacyRights.Consents;
using Certometer.PrivacyRights.Inventory;
using Certometer.PrivacyRights.Policies;
using Certometer.PrivacyRights.Requests;
using Certometer.PrivacyRights.SubjectKeys;
using Certometer.PrivacyRights.Workflow;
using Microsoft.EntityFrameworkCore;

namespace Certometer.PrivacyRights.Data;

/// <summary>The PrivacyRights service's own database.</summary>
public sealed class PrivacyRightsDbContext(DbContextOptions<PrivacyRightsDbContext> options) : DbContext(options)
{
    public DbSet<PersonalDataHolder> PersonalDataHolders => Set<PersonalDataHolder>();

    public DbSet<PrivacyRequest> Requests => Set<PrivacyRequest>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<PendingAuditEntry> PendingAuditEntries => Set<PendingAuditEntry>();

    public DbSet<ConsentLedgerEntry> ConsentLedger => Set<ConsentLedgerEntry>();

    public DbSet<HolderStep> HolderSteps => Set<HolderStep>();

    public DbSet<ExportPart> ExportParts => Set<ExportPart>();

    public DbSet<AccessPackage> AccessPackages => Set<AccessPackage>();
    public DbSet<RequestVerification> RequestVerifications => Set<RequestVerification>();

    public DbSet<PolicyVersion> PolicyVersions => Set<PolicyVersion>();

    public DbSet<PolicyAcceptance> PolicyAcceptances => Set<PolicyAcceptance>();

    public DbSet<SubjectKey> SubjectKeys => Set<SubjectKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddOutboxAndInbox().AddErasureTombstones();
        modelBuilder.Entity<SubjectKey>(key =>
        {
            key.ToTable("subject_keys");
            key.HasKey(k => k.Pseudonym);
            key.Property(k => k.Pseudonym).HasColumnName("pseudonym");
            key.Property(k => k.WrappedKey).HasColumnName("wrapped_key");
            key.Property(k => k.MasterKeyId).HasColumnName("master_key_id").HasMaxLength(100);
            key.Property(k => k.CreatedAt).HasColumnName("created_at");
            key.Property(k => k.DestroyedAt).HasColumnName("destroyed_at");
            // Re-wrapping after a master key rotation looks for keys still under an old one.
            key.HasIndex(k => k.MasterKeyId).HasDatabaseName("ix_subject_keys_master_key_id");
        });

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
            request.Property(r => r.PreferredLanguage).HasColumnName("preferred_language").HasMaxLength(35);
            request.Property(r => r.Stage).HasColumnName("stage").HasConversion<string>().HasMaxLength(20).HasDefaultValue(WorkflowStage.NotStarted);
            request.Property(r => r.WorkStartsAt).HasColumnName("work_starts_at");
            request.Property(r => r.StartedAt).HasColumnName("started_at");
            request.Property(r => r.AccountLockAskedAt).HasColumnName("account_lock_asked_at");
            request.Property(r => r.AccountLockAttempts).HasColumnName("account_lock_attempts");
            request.Property(r => r.AccountLockNextAskAt).HasColumnName("account_lock_next_ask_at");
            request.Property(r => r.AccountLockedAt).HasColumnName("account_locked_at");
            request.Property(r => r.EscalatedAt).HasColumnName("escalated_at");
            request.Property(r => r.CompletedAt).HasColumnName("completed_at");
            request.Property(r => r.ClosedAt).HasColumnName("closed_at");
            request.Property(r => r.Channel).HasColumnName("channel").HasConversion<string>().HasMaxLength(20);
            request.Property(r => r.VerificationNote).HasColumnName("verification_note").HasMaxLength(RequestIntake.MaxVerificationNoteLength);
            request.Ignore(r => r.IsOpen);
            request.Ignore(r => r.CanBeCancelled);
            // The database's own guard against duplicates, behind the check the endpoint makes under the chain lock.
            request.HasIndex(r => new { r.SubjectId, r.Kind })
                .HasDatabaseName("ux_privacy_requests_one_open_per_kind")
                .IsUnique()
                .HasFilter("status IN ('Received', 'Approved', 'InProgress')");
            request.HasIndex(r => new { r.Status, r.Deadline }).HasDatabaseName("ix_privacy_requests_status_deadline");
            // What the workflow clock scans for: approved work that is due, and requests still waiting on somebody.
            request.HasIndex(r => new { r.Stage, r.Status }).HasDatabaseName("ix_privacy_requests_stage_status");
        });

        modelBuilder.Entity<HolderStep>(step =>
        {
            step.ToTable("holder_steps");
            step.HasKey(s => new { s.RequestId, s.Service });
            step.Property(s => s.RequestId).HasColumnName("request_id");
            step.Property(s => s.Service).HasColumnName("service").HasMaxLength(100);
            step.Property(s => s.FirstAskedAt).HasColumnName("first_asked_at");
            step.Property(s => s.LastAskedAt).HasColumnName("last_asked_at");
            step.Property(s => s.NextAskAt).HasColumnName("next_ask_at");
            step.Property(s => s.Attempts).HasColumnName("attempts");
            step.Property(s => s.EscalatedAt).HasColumnName("escalated_at");
            step.Property(s => s.AnsweredAt).HasColumnName("answered_at");
            step.Property(s => s.Answer).HasColumnName("answer").HasColumnType("jsonb");
            step.HasOne<PrivacyRequest>().WithMany().HasForeignKey(s => s.RequestId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<ExportPart>(part =>
        {
            part.ToTable("export_parts");
            part.HasKey(p => new { p.RequestId, p.Service });
            part.Property(p => p.RequestId).HasColumnName("request_id");
            part.Property(p => p.Service).HasColumnName("service").HasMaxLength(100);
            part.Property(p => p.Content).HasColumnName("content").HasColumnType("jsonb");
            part.Property(p => p.RecordCount).HasColumnName("record_count");
            part.Property(p => p.ExportedAt).HasColumnName("exported_at");
            part.HasOne<PrivacyRequest>().WithMany().HasForeignKey(p => p.RequestId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<AccessPackage>(package =>
        {
            package.ToTable("access_packages");
            package.HasKey(p => p.RequestId);
            package.Property(p => p.RequestId).HasColumnName("request_id");
            package.Property(p => p.SubjectId).HasColumnName("subject_id");
            // Text, not jsonb: the package is served byte for byte as it was compiled.
            package.Property(p => p.Content).HasColumnName("content");
            package.Property(p => p.Summary).HasColumnName("summary");
            package.Property(p => p.CompiledAt).HasColumnName("compiled_at");
            package.Property(p => p.ExpiresAt).HasColumnName("expires_at");
            package.HasIndex(p => p.SubjectId).HasDatabaseName("ix_access_packages_subject_id");
            package.HasIndex(p => p.ExpiresAt).HasDatabaseName("ix_access_packages_expires_at");
            package.HasOne<PrivacyRequest>().WithMany().HasForeignKey(p => p.RequestId).OnDelete(DeleteBehavior.Cascade);
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
            entry.Property(e => e.RequestStatus).HasColumnName("request_status").HasMaxLength(20);
            entry.Property(e => e.RequestStage).HasColumnName("request_stage").HasMaxLength(20);
            entry.Property(e => e.ReceiptDigest).HasColumnName("receipt_digest").HasMaxLength(64);
            entry.Property(e => e.PreviousHash).HasColumnName("previous_hash").HasMaxLength(64);
            entry.Property(e => e.Hash).HasColumnName("hash").HasMaxLength(64);
            entry.HasIndex(e => e.RequestId).HasDatabaseName("ix_audit_entries_request_id");
        });

        modelBuilder.HasSequence<long>(AuditChain.PendingOrderSequence);
        modelBuilder.Entity<PendingAuditEntry>(entry =>
        {
            entry.ToTable("audit_pending");
            entry.HasKey(e => e.Order);
            entry.Property(e => e.Order).HasColumnName("order").ValueGeneratedNever();
            entry.Property(e => e.RequestId).HasColumnName("request_id");
            entry.Property(e => e.Action).HasColumnName("action").HasMaxLength(40);
            entry.Property(e => e.Actor).HasColumnName("actor").HasMaxLength(64);
            entry.Property(e => e.OccurredAt).HasColumnName("occurred_at");
            entry.Property(e => e.RequestStatus).HasColumnName("request_status").HasMaxLength(20);
            entry.Property(e => e.RequestStage).HasColumnName("request_stage").HasMaxLength(20);
            entry.Property(e => e.ReceiptDigest).HasColumnName("receipt_digest").HasMaxLength(64);
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
            consent.Property(c => c.Sequence).HasColumnName("sequence");
            consent.Property(c => c.TookEffect).HasColumnName("took_effect");
            consent.HasIndex(c => new { c.SubjectPseudonym, c.Sequence }).HasDatabaseName("ix_consent_ledger_subject");
        });

        modelBuilder.Entity<RequestVerification>(verification =>
        {
            verification.ToTable("request_verifications");
            verification.HasKey(v => v.Id);
            verification.Property(v => v.Id).HasColumnName("id").ValueGeneratedNever();
            verification.Property(v => v.Kind).HasColumnName("kind").HasConversion<string>().HasMaxLength(40);
            verification.Property(v => v.Email).HasColumnName("email").HasMaxLength(254);
            verification.Property(v => v.CodeHash).HasColumnName("code_hash").HasMaxLength(64);
            verification.Property(v => v.SubjectId).HasColumnName("subject_id");
            verification.Property(v => v.CreatedAt).HasColumnName("created_at");
            verification.Property(v => v.ExpiresAt).HasColumnName("expires_at");
            verification.Property(v => v.FailedAttempts).HasColumnName("failed_attempts");
            verification.Property(v => v.RequestId).HasColumnName("request_id");
            verification.Property(v => v.UsedAt).HasColumnName("used_at");
            verification.HasIndex(v => v.ExpiresAt).HasDatabaseName("ix_request_verifications_expires_at");
        });
        modelBuilder.AddPolicyVersions();
    }
}
