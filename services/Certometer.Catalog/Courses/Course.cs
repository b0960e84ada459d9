namespace Certometer.Catalog.Courses;

/// <summary>A course or certification on the catalogue, from draft to retirement.</summary>
public sealed class Course
{
    public const int SlugMaxLength = 100;
    public const int TitleMaxLength = 200;
    public const int DescriptionMaxLength = 4000;
    public const int LanguageMaxLength = 35;

    public Guid Id { get; init; }

    public required string Slug { get; set; }

    public required string Title { get; set; }

    public required string Description { get; set; }

    public CourseLevel Level { get; set; }

    public CourseKind Kind { get; set; }

    public int DurationMinutes { get; set; }

    /// <summary>Price in minor units of <see cref="Currency"/>; 0 means free.</summary>
    public long PriceMinor { get; set; }

    /// <summary>ISO 4217 code, upper case.</summary>
    public required string Currency { get; set; }

    /// <summary>IETF language tag of the teaching language.</summary>
    public required string Language { get; set; }

    public CourseStatus Status { get; set; }

    /// <summary>The lessons in teaching order.</summary>
    public IReadOnlyList<Lesson> Syllabus { get; set; } = [];

    /// <summary>Required for a certification, optional for a course.</summary>
    public Exam? Exam { get; set; }

    /// <summary>The version carried by <c>CourseOffered</c> and <c>CourseRetired</c>; increases with every saved change.</summary>
    public long OfferVersion { get; set; }

    /// <summary>PostgreSQL's xmin: changes on every update, so a stale edit is detected rather than overwriting a newer one.</summary>
    public uint RowVersion { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? PublishedAt { get; set; }

    public DateTimeOffset? RetiredAt { get; set; }
}

/// <summary>How much a learner is expected to know before starting.</summary>
public enum CourseLevel
{
    Beginner,
    Intermediate,
    Advanced,
}

/// <summary>Whether the offer is a course (exam optional) or a certification (exam required).</summary>
public enum CourseKind
{
    Course,
    Certification,
}

/// <summary>Where a course is in its life: only Published courses are on sale and visible to the public.</summary>
public enum CourseStatus
{
    Draft,
    Published,
    Retired,
}

/// <summary>One lesson of a syllabus; its id survives edits so learners' progress keeps pointing at it.</summary>
public sealed record Lesson(Guid Id, string Title, int DurationMinutes);

/// <summary>The exam that ends a course: ordered questions and the percentage of correct answers needed to pass.</summary>
public sealed record Exam(int PassMarkPercent, IReadOnlyList<ExamQuestion> Questions)
{
    /// <summary>The whole-number percentage of <paramref name="answers"/> (option index per question, in order) that are correct.</summary>
    public int ScorePercent(IReadOnlyList<int> answers)
    {
        var correct = Questions.Where((question, index) => answers[index] == question.CorrectOption).Count();
        return Questions.Count == 0 ? 0 : correct * 100 / Questions.Count;
    }

    /// <summary>Whether a score reaches the pass mark; reaching it exactly is a pass.</summary>
    public bool IsPass(int scorePercent) => scorePercent >= PassMarkPercent;
}

/// <summary>One exam question; <see cref="CorrectOption"/> is an index into <see cref="Options"/> and never leaves the operator API.</summary>
public sealed record ExamQuestion(Guid Id, string Text, IReadOnlyList<string> Options, int CorrectOption);
