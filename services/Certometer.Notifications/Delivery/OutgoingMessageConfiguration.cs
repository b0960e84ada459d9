using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certometer.Notifications.Delivery;

/// <summary>How <see cref="OutgoingMessage"/> is stored.</summary>
internal sealed class OutgoingMessageConfiguration : IEntityTypeConfiguration<OutgoingMessage>
{
    public void Configure(EntityTypeBuilder<OutgoingMessage> message)
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
    }
}
