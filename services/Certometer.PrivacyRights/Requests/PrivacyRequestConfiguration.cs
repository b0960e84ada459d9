using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certometer.PrivacyRights.Requests;

/// <summary>How <see cref="PrivacyRequest"/> is stored.</summary>
internal sealed class PrivacyRequestConfiguration : IEntityTypeConfiguration<PrivacyRequest>
{
    public void Configure(EntityTypeBuilder<PrivacyRequest> request)
    {
        request.ToTable("privacy_requests");
        request.HasKey(r => r.Id);
        request.Property(r => r.Id).ValueGeneratedNever();
        request.Property(r => r.Kind).HasConversion<string>().HasMaxLength(40);
        request.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
        request.Property(r => r.ContactEmail).HasMaxLength(254);
        request.Property(r => r.DenialReason).HasMaxLength(2000);
        request.Property(r => r.ExtensionReason).HasMaxLength(2000);
        request.Property(r => r.PreferredLanguage).HasMaxLength(35);
        request.Property(r => r.Stage).HasConversion<string>().HasMaxLength(20).HasDefaultValue(WorkflowStage.NotStarted);
        request.Property(r => r.Channel).HasConversion<string>().HasMaxLength(20);
        request.Property(r => r.VerificationNote).HasMaxLength(PrivacyRequest.MaxVerificationNoteLength);
        request.Property(r => r.FiledBy).HasMaxLength(100);
        request.Ignore(r => r.IsOpen);
        // The database's own guard against duplicates, behind the check the endpoint makes under the chain lock.
        request.HasIndex(r => new { r.SubjectId, r.Kind })
            .HasDatabaseName("ux_privacy_requests_one_open_per_kind")
            .IsUnique()
            .HasFilter("status IN ('Received', 'Approved', 'InProgress')");
        request.HasIndex(r => new { r.Status, r.Deadline }).HasDatabaseName("ix_privacy_requests_status_deadline");
        // What the workflow clock scans for: approved work that is due, and requests still waiting on somebody.
        request.HasIndex(r => new { r.Stage, r.Status }).HasDatabaseName("ix_privacy_requests_stage_status");
    }
}
