namespace Certometer.Catalog.Certificates;

/// <summary>Proof that a learner completed a course, checkable by anyone who has its verification code.</summary>
/// <remarks>
/// The course title and holder name are copied as printed on the day of issue: a later rename of the course or a
/// rectified learner name does not rewrite a certificate already handed out. Erasure removes the holder's name and the
/// link to them, leaving a record that a certificate with this code was issued for this course on this date.
/// </remarks>
public sealed class Certificate
{
    public const int VerificationCodeLength = 20;

    public Guid Id { get; init; }

    /// <summary>The enrollment that earned it; null once the holder's data was erased.</summary>
    public Guid? EnrollmentId { get; set; }

    /// <summary>The holder; null once their data was erased.</summary>
    public Guid? SubjectId { get; set; }

    public Guid CourseId { get; init; }

    public required string CourseTitle { get; init; }

    /// <summary>The holder's name as printed; null if Catalog did not know it at issue, or after erasure.</summary>
    public string? HolderName { get; set; }

    public required string VerificationCode { get; init; }

    public DateTimeOffset IssuedAt { get; init; }

    /// <summary>When the holder's name and link were erased at their request.</summary>
    public DateTimeOffset? HolderErasedAt { get; set; }
}
