using Certometer.PrivacyRights.Requests;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certometer.PrivacyRights.Workflow;

/// <summary>How <see cref="HolderStep"/> is stored.</summary>
internal sealed class HolderStepConfiguration : IEntityTypeConfiguration<HolderStep>
{
    public void Configure(EntityTypeBuilder<HolderStep> step)
    {
        step.ToTable("holder_steps");
        step.HasKey(s => new { s.RequestId, s.Service });
        step.Property(s => s.Service).HasMaxLength(100);
        step.Property(s => s.Answer).HasColumnType("jsonb");
        step.HasOne<PrivacyRequest>().WithMany().HasForeignKey(s => s.RequestId).OnDelete(DeleteBehavior.Cascade);
    }
}
