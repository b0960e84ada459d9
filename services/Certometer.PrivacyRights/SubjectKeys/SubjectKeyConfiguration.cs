using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certometer.PrivacyRights.SubjectKeys;

/// <summary>How <see cref="SubjectKey"/> is stored.</summary>
internal sealed class SubjectKeyConfiguration : IEntityTypeConfiguration<SubjectKey>
{
    public void Configure(EntityTypeBuilder<SubjectKey> key)
    {
        key.ToTable("subject_keys");
        key.HasKey(k => k.Pseudonym);
        key.Property(k => k.MasterKeyId).HasMaxLength(100);
        // Re-wrapping after a master key rotation looks for keys still under an old one.
        key.HasIndex(k => k.MasterKeyId).HasDatabaseName("ix_subject_keys_master_key_id");
    }
}
