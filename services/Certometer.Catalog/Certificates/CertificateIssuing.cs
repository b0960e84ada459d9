using System.Buffers.Text;
using System.Security.Cryptography;
using Certometer.Catalog.Courses;
using Certometer.Catalog.Data;
using Certometer.Catalog.Enrollments;
using Certometer.Contracts.Catalog;
using Certometer.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Catalog.Certificates;

/// <summary>Issues the one certificate an enrollment can earn. Callers hold the enrollment's row lock, so two passing attempts cannot both issue.</summary>
internal static class CertificateIssuing
{
    /// <summary>
    /// 15 random bytes are 120 bits, 20 URL-safe characters: far beyond guessing, and unique in practice (the unique
    /// index is the backstop).
    /// </summary>
    public static string NewVerificationCode() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(15));

    /// <summary>Whether <paramref name="code"/> could be a verification code at all, so malformed ones never reach the database.</summary>
    public static bool IsWellFormed(string code) =>
        code.Length == Certificate.VerificationCodeLength && code.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>
    /// Whether completing <paramref name="completedLessons"/> earns <paramref name="course"/>'s certificate: every lesson of
    /// its syllabus, and only for a course without an exam (one with an exam is earned by passing it).
    /// </summary>
    public static bool IsEarnedByLessons(Course course, IReadOnlyCollection<Guid> completedLessons) =>
        course.Exam is null && course.Syllabus.All(lesson => completedLessons.Contains(lesson.Id));

    public static async Task<Certificate> IssueOnceAsync(
        CatalogDbContext db, Enrollment enrollment, Course course, TimeProvider clock, CancellationToken cancellationToken)
    {
        var existing = await db.Certificates.SingleOrDefaultAsync(c => c.EnrollmentId == enrollment.Id, cancellationToken);
        if (existing is not null)
        {
            return existing;
        }

        // The name as Catalog knows it today; a later rectification changes future certificates, not this one.
        var holderName = await db.Learners.Where(l => l.SubjectId == enrollment.SubjectId).Select(l => l.Name).SingleOrDefaultAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var certificate = new Certificate
        {
            Id = Guid.CreateVersion7(now),
            EnrollmentId = enrollment.Id,
            SubjectId = enrollment.SubjectId,
            CourseId = course.Id,
            CourseTitle = course.Title,
            HolderName = holderName,
            VerificationCode = NewVerificationCode(),
            IssuedAt = now,
        };
        db.Certificates.Add(certificate);
        db.AddIntegrationEvent(
            new CertificateIssued(certificate.Id, enrollment.SubjectId, course.Id, course.Title, certificate.VerificationCode, now),
            clock);
        return certificate;
    }
}
