using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certometer.Catalog.Enrollments;

/// <summary>How <see cref="LessonCompletion"/> is stored.</summary>
internal sealed class LessonCompletionConfiguration : IEntityTypeConfiguration<LessonCompletion>
{
    public void Configure(EntityTypeBuilder<LessonCompletion> completion)
    {
        completion.ToTable("lesson_completions");
        completion.HasKey(c => new { c.EnrollmentId, c.LessonId });
        completion.HasOne<Enrollment>().WithMany().HasForeignKey(c => c.EnrollmentId).OnDelete(DeleteBehavior.Cascade);
    }
}
