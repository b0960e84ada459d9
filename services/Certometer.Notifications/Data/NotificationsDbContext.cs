using Certometer.Messaging;
using Certometer.Privacy.Tombstones;
using Certometer.Notifications.Delivery;
using Certometer.Notifications.Marketing;
using Certometer.Notifications.PolicyNotices;
using Certometer.Notifications.Recipients;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Notifications.Data;

/// <summary>The Notifications service's own database: recipients, their settings, the delivery log, the suppression list.</summary>
public sealed class NotificationsDbContext(DbContextOptions<NotificationsDbContext> options) : DbContext(options)
{
    public DbSet<Recipient> Recipients => Set<Recipient>();

    public DbSet<SubjectSettings> SubjectSettings => Set<SubjectSettings>();

    public DbSet<OutgoingMessage> Messages => Set<OutgoingMessage>();

    public DbSet<SuppressedAddress> SuppressionList => Set<SuppressedAddress>();

    public DbSet<PolicyNoticeRun> PolicyNoticeRuns => Set<PolicyNoticeRun>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddOutboxAndInbox().AddErasureTombstones();

        modelBuilder.Entity<Recipient>(recipient =>
        {
            recipient.ToTable("recipients");
            recipient.HasKey(r => r.SubjectId);
            recipient.Property(r => r.Email).HasMaxLength(254);
            recipient.Property(r => r.Name).HasMaxLength(200);
            recipient.Property(r => r.PreferredLanguage).HasMaxLength(35);
        });

        modelBuilder.Entity<SubjectSettings>(settings =>
        {
            settings.ToTable("subject_settings");
            settings.HasKey(s => s.SubjectId);
        });

        modelBuilder.Entity<OutgoingMessage>(message =>
        {
            message.ToTable("outgoing_messages");
            message.HasKey(m => m.Id);
            message.HasIndex(m => m.DeduplicationKey).IsUnique();
            message.HasIndex(m => new { m.Status, m.NextAttemptAt });
            message.HasIndex(m => m.SubjectId);
            message.Property(m => m.DeduplicationKey).HasMaxLength(200);
            message.Property(m => m.Kind).HasConversion<string>().HasMaxLength(40);
            message.Property(m => m.Status).HasConversion<string>().HasMaxLength(20);
            message.Property(m => m.ToAddress).HasMaxLength(254);
            message.Property(m => m.Language).HasMaxLength(35);
            message.Property(m => m.Subject).HasMaxLength(300);
            message.Property(m => m.LastError).HasMaxLength(1000);
        });

        modelBuilder.Entity<SuppressedAddress>(suppressed =>
        {
            suppressed.ToTable("suppression_list");
            suppressed.HasKey(s => s.AddressHash);
            suppressed.Property(s => s.AddressHash).HasMaxLength(64);
            suppressed.Property(s => s.Reason).HasMaxLength(40);
        });

        // Policy change notices walk the recipients in registration order (see PolicyNoticeFanOut).
        modelBuilder.Entity<Recipient>().HasIndex(r => new { r.CreatedAt, r.SubjectId }).HasDatabaseName("ix_recipients_created_at_subject_id");

        modelBuilder.Entity<PolicyNoticeRun>(run =>
        {
            run.ToTable("policy_notice_runs");
            run.HasKey(r => r.Version);
            run.Property(r => r.Version).HasColumnName("version").HasMaxLength(50);
            run.Property(r => r.EffectiveAt).HasColumnName("effective_at");
            run.Property(r => r.SummaryOfChanges).HasColumnName("summary_of_changes").HasMaxLength(4000);
            run.Property(r => r.PublishedAt).HasColumnName("published_at");
            run.Property(r => r.LastCreatedAt).HasColumnName("last_created_at");
            run.Property(r => r.LastSubjectId).HasColumnName("last_subject_id");
            run.Property(r => r.NoticesQueued).HasColumnName("notices_queued");
            run.Property(r => r.CompletedAt).HasColumnName("completed_at");
            run.HasIndex(r => r.PublishedAt).HasDatabaseName("ix_policy_notice_runs_unfinished").HasFilter("completed_at IS NULL");
        });
    }
}
