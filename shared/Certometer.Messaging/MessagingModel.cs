using Certometer.Messaging.Inbox;
using Certometer.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Messaging;

/// <summary>Adds the outbox and inbox tables to a service's EF Core model, so its migrations create them.</summary>
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

        return modelBuilder;
    }
}
