using Certometer.Catalog.Courses;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certometer.Catalog.Enrollments;

/// <summary>How <see cref="Enrollment"/> is stored.</summary>
internal sealed class EnrollmentConfiguration : IEntityTypeConfiguration<Enrollment>
{
    public void Configure(EntityTypeBuilder<Enrollment> enrollment)
    {
        enrollment.ToTable("enrollments");
        enrollment.HasKey(e => e.Id);
        enrollment.Property(e => e.Id).ValueGeneratedNever();
        enrollment.Property(e => e.Status).HasConversion<string>().HasMaxLength(20);
        // One enrollment per paid order, whatever Billing redelivers.
        enrollment.HasIndex(e => e.OrderId).IsUnique().HasFilter("order_id IS NOT NULL");
        // One live enrollment per learner and course: enrolling again returns it; after a refund, buying again makes a new one.
        enrollment.HasIndex(e => new { e.SubjectId, e.CourseId }).IsUnique().HasFilter("status = 'Active'");
        enrollment.HasIndex(e => e.SubjectId);
        enrollment.HasOne<Course>().WithMany().HasForeignKey(e => e.CourseId).OnDelete(DeleteBehavior.Restrict);
    }
}
