using System.Text.Json;
using Certometer.Catalog.Certificates;
using Certometer.Catalog.Courses;
using Certometer.Catalog.Enrollments;
using Certometer.Catalog.Learners;
using Certometer.Messaging;
using Certometer.Privacy.Tombstones;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Certometer.Catalog.Data;

/// <summary>The Catalog service's own database.</summary>
public sealed class CatalogDbContext(DbContextOptions<CatalogDbContext> options) : DbContext(options)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public DbSet<Course> Courses => Set<Course>();

    public DbSet<Enrollment> Enrollments => Set<Enrollment>();

    public DbSet<LessonCompletion> LessonCompletions => Set<LessonCompletion>();

    public DbSet<ExamAttempt> ExamAttempts => Set<ExamAttempt>();

    public DbSet<Certificate> Certificates => Set<Certificate>();

    public DbSet<Learner> Learners => Set<Learner>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddOutboxAndInbox().AddErasureTombstones();
        // Trigram indexes make the catalogue's case-insensitive substring search (ILIKE '%term%') an index scan.
        modelBuilder.HasPostgresExtension("pg_trgm");

        modelBuilder.Entity<Course>(course =>
        {
            course.ToTable("courses");
            course.HasKey(c => c.Id);
            course.Property(c => c.Id).ValueGeneratedNever();
            course.Property(c => c.Slug).HasMaxLength(Course.SlugMaxLength);
            course.HasIndex(c => c.Slug).IsUnique();
            course.Property(c => c.Title).HasMaxLength(Course.TitleMaxLength);
            course.Property(c => c.Description).HasMaxLength(Course.DescriptionMaxLength);
            course.Property(c => c.Currency).HasMaxLength(3);
            course.Property(c => c.Language).HasMaxLength(Course.LanguageMaxLength);
            course.Property(c => c.Level).HasConversion<string>().HasMaxLength(20);
            course.Property(c => c.Kind).HasConversion<string>().HasMaxLength(20);
            course.Property(c => c.Status).HasConversion<string>().HasMaxLength(20);
            course.Property(c => c.RowVersion).IsRowVersion();
            // Syllabus and exam are read and replaced whole with their course, never queried into: one document each.
            course.Property(c => c.Syllabus).HasColumnType("jsonb").HasConversion(
                value => JsonSerializer.Serialize(value, Json),
                column => JsonSerializer.Deserialize<List<Lesson>>(column, Json) ?? new List<Lesson>(),
                JsonComparer<IReadOnlyList<Lesson>>());
            course.Property(c => c.Exam).HasColumnType("jsonb").HasConversion(
                value => JsonSerializer.Serialize(value, Json),
                column => JsonSerializer.Deserialize<Exam>(column, Json),
                JsonComparer<Exam?>());
            course.HasIndex(c => c.Title).HasMethod("gin").HasOperators("gin_trgm_ops").HasDatabaseName("ix_courses_title_trgm");
            course.HasIndex(c => c.Description).HasMethod("gin").HasOperators("gin_trgm_ops").HasDatabaseName("ix_courses_description_trgm");
            course.HasIndex(c => new { c.Status, c.Title });
            course.HasIndex(c => new { c.Status, c.PriceMinor });
            course.HasIndex(c => new { c.Status, c.PublishedAt });
        });

        modelBuilder.Entity<Enrollment>(enrollment =>
        {
            enrollment.ToTable("enrollments");
            enrollment.HasKey(e => e.Id);
            enrollment.Property(e => e.Id).ValueGeneratedNever();
            enrollment.Property(e => e.Status).HasConversion<string>().HasMaxLength(20);
            // One enrollment per paid order, whatever Billing redelivers.
            enrollment.HasIndex(e => e.OrderId).IsUnique().HasFilter("\"OrderId\" IS NOT NULL");
            // One live enrollment per learner and course: enrolling again returns it; after a refund, buying again makes a new one.
            enrollment.HasIndex(e => new { e.SubjectId, e.CourseId }).IsUnique().HasFilter("\"Status\" = 'Active'");
            enrollment.HasIndex(e => e.SubjectId);
            enrollment.HasOne<Course>().WithMany().HasForeignKey(e => e.CourseId).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<LessonCompletion>(completion =>
        {
            completion.ToTable("lesson_completions");
            completion.HasKey(c => new { c.EnrollmentId, c.LessonId });
            completion.HasOne<Enrollment>().WithMany().HasForeignKey(c => c.EnrollmentId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<ExamAttempt>(attempt =>
        {
            attempt.ToTable("exam_attempts");
            attempt.HasKey(a => a.Id);
            attempt.Property(a => a.Id).ValueGeneratedNever();
            attempt.HasIndex(a => a.EnrollmentId);
            attempt.HasOne<Enrollment>().WithMany().HasForeignKey(a => a.EnrollmentId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<Certificate>(certificate =>
        {
            certificate.ToTable("certificates");
            certificate.HasKey(c => c.Id);
            certificate.Property(c => c.Id).ValueGeneratedNever();
            certificate.Property(c => c.CourseTitle).HasMaxLength(Course.TitleMaxLength);
            certificate.Property(c => c.HolderName).HasMaxLength(Learner.NameMaxLength);
            certificate.Property(c => c.VerificationCode).HasMaxLength(Certificate.VerificationCodeLength);
            certificate.HasIndex(c => c.VerificationCode).IsUnique();
            // Once per enrollment, even if two passing attempts race.
            certificate.HasIndex(c => c.EnrollmentId).IsUnique().HasFilter("\"EnrollmentId\" IS NOT NULL");
            certificate.HasIndex(c => c.SubjectId);
        });

        modelBuilder.Entity<Learner>(learner =>
        {
            learner.ToTable("learners");
            learner.HasKey(l => l.SubjectId);
            learner.Property(l => l.SubjectId).ValueGeneratedNever();
            learner.Property(l => l.Name).HasMaxLength(Learner.NameMaxLength);
        });
    }

    private static ValueComparer<T> JsonComparer<T>() => new(
        (left, right) => JsonSerializer.Serialize(left, Json) == JsonSerializer.Serialize(right, Json),
        value => JsonSerializer.Serialize(value, Json).GetHashCode(StringComparison.Ordinal),
        value => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(value, Json), Json)!);
}
