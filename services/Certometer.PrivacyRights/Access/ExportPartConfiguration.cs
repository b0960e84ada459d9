using Certometer.PrivacyRights.Requests;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certometer.PrivacyRights.Access;

/// <summary>How <see cref="ExportPart"/> is stored.</summary>
internal sealed class ExportPartConfiguration : IEntityTypeConfiguration<ExportPart>
{
    public void Configure(EntityTypeBuilder<ExportPart> part)
    {
        part.ToTable("export_parts");
        part.HasKey(p => new { p.RequestId, p.Service });
        part.Property(p => p.Service).HasMaxLength(100);
        part.Property(p => p.Content).HasColumnType("jsonb");
        part.HasOne<PrivacyRequest>().WithMany().HasForeignKey(p => p.RequestId).OnDelete(DeleteBehavior.Cascade);
    }
}
