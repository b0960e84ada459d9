using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certometer.Notifications.Recipients;

/// <summary>How <see cref="Recipient"/> is stored.</summary>
internal sealed class RecipientConfiguration : IEntityTypeConfiguration<Recipient>
{
    public void Configure(EntityTypeBuilder<Recipient> recipient)
    {
        recipient.ToTable("recipients");
        recipient.HasKey(r => r.SubjectId);
        recipient.Property(r => r.Email).HasMaxLength(254);
        recipient.Property(r => r.Name).HasMaxLength(200);
        recipient.Property(r => r.PreferredLanguage).HasMaxLength(35);
        // Policy change notices walk the recipients in registration order (see PolicyNoticeFanOut).
        recipient.HasIndex(r => new { r.CreatedAt, r.SubjectId }).HasDatabaseName("ix_recipients_created_at_subject_id");
    }
}
