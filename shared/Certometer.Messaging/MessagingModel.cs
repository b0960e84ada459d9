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
            outbox.Property(m => m.Id).HasColumnName("id").ValueGeneratedNever();
            outbox.Property(m => m.MessageType).HasColumnName("message_type").HasMaxLength(512);
            outbox.Property(m => m.Payload).HasColumnName("payload").HasColumnType("jsonb");
            outbox.Property(m => m.OccurredAt).HasColumnName("occurred_at");
            outbox.Property(m => m.AvailableAt).HasColumnName("available_at");
            outbox.Property(m => m.Attempts).HasColumnName("attempts");
            outbox.Property(m => m.LeaseOwner).HasColumnName("lease_owner").HasMaxLength(200);
            outbox.Property(m => m.LeaseExpiresAt).HasColumnName("lease_expires_at");
            outbox.Property(m => m.SentAt).HasColumnName("sent_at");
            outbox.Property(m => m.LastError).HasColumnName("last_error").HasMaxLength(2000);
            outbox.Property(m => m.ForgetPayloadOnceSent).HasColumnName("forget_payload_once_sent");
            outbox.Property(m => m.Mentions).HasColumnName("mentions").HasDefaultValueSql("'{}'::uuid[]");
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
            inbox.Property(m => m.MessageId).HasColumnName("message_id");
            inbox.Property(m => m.Consumer).HasColumnName("consumer").HasMaxLength(300);
            inbox.Property(m => m.ProcessedAt).HasColumnName("processed_at");
            inbox.HasIndex(m => m.ProcessedAt).HasDatabaseName("ix_inbox_messages_processed_at");
        });

        modelBuilder.Entity<DeadLetter>(deadLetter =>
        {
            deadLetter.ToTable("dead_letters");
            deadLetter.HasKey(d => d.Id);
            deadLetter.Property(d => d.Id).HasColumnName("id").ValueGeneratedNever();
            deadLetter.Property(d => d.Queue).HasColumnName("queue").HasMaxLength(300);
            deadLetter.Property(d => d.MessageId).HasColumnName("message_id");
            deadLetter.Property(d => d.MessageType).HasColumnName("message_type").HasMaxLength(1000);
            // Text, not jsonb: a body that failed because it is not valid JSON must still be parked as it came.
            deadLetter.Property(d => d.Body).HasColumnName("body");
            deadLetter.Property(d => d.Reason).HasColumnName("reason").HasMaxLength(300);
            deadLetter.Property(d => d.ParkedAt).HasColumnName("parked_at");
            deadLetter.Property(d => d.ReplayRequestedAt).HasColumnName("replay_requested_at");
            deadLetter.HasIndex(d => d.ParkedAt).HasDatabaseName("ix_dead_letters_parked_at");
            deadLetter.HasIndex(d => d.ReplayRequestedAt)
                .HasDatabaseName("ix_dead_letters_replay_requested")
                .HasFilter("replay_requested_at IS NOT NULL");
        });

        return modelBuilder;
    }
}
