using Certometer.Catalog.Courses;
using Certometer.Catalog.Learners;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certometer.Catalog.Certificates;

/// <summary>How <see cref="Certificate"/> is stored.</summary>
internal sealed class CertificateConfiguration : IEntityTypeConfiguration<Certificate>
{
    public void Configure(EntityTypeBuilder<Certificate> certificate)
    {
        certificate.ToTable("certificates");
        certificate.HasKey(c => c.Id);
        certificate.Property(c => c.Id).ValueGeneratedNever();
        certificate.Property(c => c.CourseTitle).HasMaxLength(Course.TitleMaxLength);
        certificate.Property(c => c.HolderName).HasMaxLength(Learner.NameMaxLength);
        certificate.Property(c => c.VerificationCode).HasMaxLength(Certificate.VerificationCodeLength);
        certificate.HasIndex(c => c.VerificationCode).IsUnique();
        // Once per enrollment, even if two passing attempts race.
        certificate.HasIndex(c => c.EnrollmentId).IsUnique().HasFilter("enrollment_id IS NOT NULL");
        certificate.HasIndex(c => c.SubjectId);
    }
}
