using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certometer.PrivacyRights.Intake;

/// <summary>How <see cref="RequestVerification"/> is stored.</summary>
internal sealed class RequestVerificationConfiguration : IEntityTypeConfiguration<RequestVerification>
{
    public void Configure(EntityTypeBuilder<RequestVerification> verification)
    {
        verification.ToTable("request_verifications");
        verification.HasKey(v => v.Id);
        verification.Property(v => v.Id).ValueGeneratedNever();
        verification.Property(v => v.Kind).HasConversion<string>().HasMaxLength(40);
        verification.Property(v => v.Email).HasMaxLength(254);
        verification.Property(v => v.CodeHash).HasMaxLength(64);
        verification.HasIndex(v => v.ExpiresAt).HasDatabaseName("ix_request_verifications_expires_at");
    }
}
