namespace Certometer.Catalog.Enrollments;

/// <summary>A learner's access to one course, from a paid order or directly for a free course.</summary>
public sealed class Enrollment
{
    public Guid Id { get; init; }

    public Guid SubjectId { get; init; }

    public Guid CourseId { get; init; }

    /// <summary>The paid order; null for a free course.</summary>
    public Guid? OrderId { get; init; }

    public EnrollmentStatus Status { get; set; }

    public DateTimeOffset EnrolledAt { get; init; }

    public DateTimeOffset? EndedAt { get; set; }
}

/// <summary>Whether an enrollment still gives access to its course.</summary>
public enum EnrollmentStatus
{
    Active,

    /// <summary>The order was refunded; progress and results stay on record for the learner, but study stops.</summary>
    Refunded,
}

/// <summary>A lesson the learner marked complete within one enrollment.</summary>
public sealed class LessonCompletion
{
    public Guid EnrollmentId { get; init; }

    public Guid LessonId { get; init; }

    public DateTimeOffset CompletedAt { get; init; }
}

/// <summary>One attempt at a course's exam, as answered and as scored at the time.</summary>
public sealed class ExamAttempt
{
    public Guid Id { get; init; }

    public Guid EnrollmentId { get; init; }

    /// <summary>The option index chosen for each question, in question order.</summary>
    public required int[] Answers { get; init; }

    public int ScorePercent { get; init; }

    public bool Passed { get; init; }

    public DateTimeOffset AttemptedAt { get; init; }
}
