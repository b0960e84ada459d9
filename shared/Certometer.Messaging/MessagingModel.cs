using Certometer.Messaging.DeadLetters;
using Certometer.Messaging.Inbox;
using Certometer.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Messaging;

/// <summary>Adds the outbox, inbox and dead-letter tables to a service's EF Core model, so its migrations create them.</summary>
public static class MessagingModel
{
    public static ModelBuilder AddOutboxAndInbox(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OutboxMessage>(outbox =>
        {
            outbox.ToTable("outbox_messages");
            outbox.HasKey(m => m.Id);
            outbox.Property(m => m.Id).ValueGeneratedNever();
            outbox.Property(m => m.MessageType).HasMaxLength(512);
            outbox.Property(m => m.Payload).HasColumnType("jsonb");
            outbox.Property(m => m.LeaseOwner).HasMaxLength(200);
            outbox.Property(m => m.LastError).HasMaxLength(2000);
            outbox.Property(m => m.Mentions).HasDefaultValueSql("'{}'::uuid[]");
            // An erasure finds the delivered events naming its subject through this, in every holder, every time.
            outbox.HasIndex(m => m.Mentions)
                .HasDatabaseName("ix_outbox_messages_mentions")
                .HasMethod("gin");
            // The dispatcher's claim query scans only unsent rows, oldest first.
            outbox.HasIndex(m => new { m.AvailableAt, m.OccurredAt })
                .HasDatabaseName("ix_outbox_messages_unsent")
                .HasFilter("sent_at IS NULL");
            outbox.HasIndex(m => m.SentAt)
                .HasDatabaseName("ix_outbox_messages_sent_at")
                .HasFilter("sent_at IS NOT NULL");
        });

        modelBuilder.Entity<InboxMessage>(inbox =>
        {
            inbox.ToTable("inbox_messages");
            inbox.HasKey(m => new { m.MessageId, m.Consumer });
            inbox.Property(m => m.Consumer).HasMaxLength(300);
            inbox.HasIndex(m => m.ProcessedAt).HasDatabaseName("ix_inbox_messages_processed_at");
        });

        modelBuilder.Entity<DeadLetter>(deadLetter =>
        {
            deadLetter.ToTable("dead_letters");
            deadLetter.HasKey(d => d.Id);
            deadLetter.Property(d => d.Id).ValueGeneratedNever();
            deadLetter.Property(d => d.Queue).HasMaxLength(300);
            deadLetter.Property(d => d.MessageType).HasMaxLength(1000);
            // Text, not jsonb: a body that failed because it is not valid JSON must still be parked as it came.
            deadLetter.Property(d => d.Reason).HasMaxLength(300);
            deadLetter.HasIndex(d => d.ParkedAt).HasDatabaseName("ix_dead_letters_parked_at");
            deadLetter.HasIndex(d => d.ReplayRequestedAt)
                .HasDatabaseName("ix_dead_letters_replay_requested")
                .HasFilter("replay_requested_at IS NOT NULL");
        });

        return modelBuilder;
    }
}
