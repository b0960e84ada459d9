using Certometer.PrivacyRights.Requests;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certometer.PrivacyRights.Access;

/// <summary>How <see cref="AccessPackage"/> is stored.</summary>
internal sealed class AccessPackageConfiguration : IEntityTypeConfiguration<AccessPackage>
{
    public void Configure(EntityTypeBuilder<AccessPackage> package)
    {
        package.ToTable("access_packages");
        package.HasKey(p => p.RequestId);
        // Text, not jsonb: the package is served byte for byte as it was compiled.
        package.HasIndex(p => p.SubjectId).HasDatabaseName("ix_access_packages_subject_id");
        package.HasIndex(p => p.ExpiresAt).HasDatabaseName("ix_access_packages_expires_at");
        package.HasOne<PrivacyRequest>().WithMany().HasForeignKey(p => p.RequestId).OnDelete(DeleteBehavior.Cascade);
    }
}
