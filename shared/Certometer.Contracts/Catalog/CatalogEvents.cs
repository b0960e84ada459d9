namespace Certometer.Contracts.Catalog;

/// <summary>
/// A course is on sale at this price (first publication, or a change of title or price). Billing keeps the latest
/// <see cref="Version"/> per course and sells only what is on offer, so it never calls Catalog to take an order.
/// </summary>
/// <param name="PriceMinor">Price in minor units of <paramref name="Currency"/> (cents); 0 for a free course.</param>
/// <param name="Currency">ISO 4217 code, upper case, e.g. <c>EUR</c>.</param>
/// <param name="Version">Increases with every change of the course, so a late, older offer never overwrites a newer one.</param>
[PublishedBy("catalog")]
public sealed record CourseOffered(
    Guid CourseId,
    string Slug,
    string Title,
    long PriceMinor,
    string Currency,
    long Version,
    DateTimeOffset OfferedAt);

/// <summary>A course is no longer on sale; existing enrollments keep working.</summary>
[PublishedBy("catalog")]
public sealed record CourseRetired(Guid CourseId, long Version, DateTimeOffset RetiredAt);

/// <summary>A learner is enrolled in a course, after a successful payment or directly for a free course.</summary>
/// <param name="OrderId">The paid order, or null for a free course.</param>
[PublishedBy("catalog")]
public sealed record EnrollmentCreated(
    Guid EnrollmentId,
    Guid SubjectId,
    Guid CourseId,
    string CourseTitle,
    Guid? OrderId,
    DateTimeOffset EnrolledAt) : ISubjectFact;

/// <summary>A learner earned a certificate; anyone can check <see cref="VerificationCode"/> on the public endpoint.</summary>
[PublishedBy("catalog")]
public sealed record CertificateIssued(
    Guid CertificateId,
    Guid SubjectId,
    Guid CourseId,
    string CourseTitle,
    string VerificationCode,
    DateTimeOffset IssuedAt) : ISubjectFact;
