using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certometer.Catalog.Courses;

/// <summary>How <see cref="Course"/> is stored.</summary>
internal sealed class CourseConfiguration : IEntityTypeConfiguration<Course>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public void Configure(EntityTypeBuilder<Course> course)
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
    }

    private static ValueComparer<T> JsonComparer<T>() => new(
        (left, right) => JsonSerializer.Serialize(left, Json) == JsonSerializer.Serialize(right, Json),
        value => JsonSerializer.Serialize(value, Json).GetHashCode(StringComparison.Ordinal),
        value => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(value, Json), Json)!);
}
