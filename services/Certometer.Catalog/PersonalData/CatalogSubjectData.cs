using System.Text.Json;
using Certometer.Catalog.Data;
using Certometer.Catalog.Learners;
using Certometer.Contracts.Privacy;
using Certometer.HolderContract;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Catalog.PersonalData;

/// <summary>What Catalog does with a learner's enrollments, progress, results, certificates and name copy for each right.</summary>
internal sealed class CatalogSubjectData(CatalogDbContext db, TimeProvider clock)
    : ISubjectDataExporter, ISubjectDataEraser, IProcessingRestriction, ISubjectDataRectifier
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<SubjectDataExport> ExportAsync(Guid subjectId, CancellationToken cancellationToken)
    {
        var learner = await db.Learners.AsNoTracking().Where(l => l.SubjectId == subjectId)
            .Select(l => new { l.Name, l.ProcessingRestricted }).SingleOrDefaultAsync(cancellationToken);
        var enrollments = await (from enrollment in db.Enrollments.AsNoTracking()
                                 join course in db.Courses.AsNoTracking() on enrollment.CourseId equals course.Id
                                 where enrollment.SubjectId == subjectId
                                 orderby enrollment.EnrolledAt
                                 select new
                                 {
                                     enrollment.Id,
                                     enrollment.CourseId,
                                     CourseTitle = course.Title,
                                     enrollment.Status,
                                     enrollment.OrderId,
                                     enrollment.EnrolledAt,
                                     enrollment.EndedAt,
                                 }).ToListAsync(cancellationToken);
        var ids = enrollments.Select(e => e.Id).ToList();
        var completions = await db.LessonCompletions.AsNoTracking().Where(c => ids.Contains(c.EnrollmentId))
            .OrderBy(c => c.CompletedAt).Select(c => new { c.EnrollmentId, c.LessonId, c.CompletedAt }).ToListAsync(cancellationToken);
        var attempts = await db.ExamAttempts.AsNoTracking().Where(a => ids.Contains(a.EnrollmentId))
            .OrderBy(a => a.AttemptedAt).Select(a => new { a.EnrollmentId, a.Answers, a.ScorePercent, a.Passed, a.AttemptedAt })
            .ToListAsync(cancellationToken);
        var certificates = await db.Certificates.AsNoTracking().Where(c => c.SubjectId == subjectId).OrderBy(c => c.IssuedAt)
            .Select(c => new { c.CourseId, c.CourseTitle, c.HolderName, c.VerificationCode, c.IssuedAt }).ToListAsync(cancellationToken);

        var part = new
        {
            learner = learner is null ? null : new { name = learner.Name, processingRestricted = learner.ProcessingRestricted },
            enrollments = enrollments.Select(e => new
            {
                e.Id,
                e.CourseId,
                e.CourseTitle,
                status = e.Status.ToString(),
                e.OrderId,
                e.EnrolledAt,
                e.EndedAt,
                completedLessons = completions.Where(c => c.EnrollmentId == e.Id).Select(c => new { c.LessonId, c.CompletedAt }),
                examAttempts = attempts.Where(a => a.EnrollmentId == e.Id).Select(a => new { a.Answers, a.ScorePercent, a.Passed, a.AttemptedAt }),
            }),
            certificates,
        };
        var records = (learner is null ? 0 : 1) + enrollments.Count + completions.Count + attempts.Count + certificates.Count;
        return new SubjectDataExport(JsonSerializer.Serialize(part, Json), records);
    }

    public async Task<IReadOnlyList<ErasureReceiptLine>> EraseAsync(Guid subjectId, CancellationToken cancellationToken)
    {
        var enrollmentIds = db.Enrollments.Where(e => e.SubjectId == subjectId).Select(e => e.Id);
        var completions = await db.LessonCompletions.Where(c => enrollmentIds.Contains(c.EnrollmentId)).ExecuteDeleteAsync(cancellationToken);
        var attempts = await db.ExamAttempts.Where(a => enrollmentIds.Contains(a.EnrollmentId)).ExecuteDeleteAsync(cancellationToken);
        var enrollments = await db.Enrollments.Where(e => e.SubjectId == subjectId).ExecuteDeleteAsync(cancellationToken);

        // The certificate stays checkable (an employer may hold its code), but no longer says whose it is.
        var now = clock.GetUtcNow();
        var certificates = await db.Certificates.Where(c => c.SubjectId == subjectId).ExecuteUpdateAsync(
            update => update
                .SetProperty(c => c.HolderName, (string?)null)
                .SetProperty(c => c.SubjectId, (Guid?)null)
                .SetProperty(c => c.EnrollmentId, (Guid?)null)
                .SetProperty(c => c.HolderErasedAt, now),
            cancellationToken);
        var learners = await db.Learners.Where(l => l.SubjectId == subjectId).ExecuteDeleteAsync(cancellationToken);

        return
        [
            new ErasureReceiptLine(CatalogPersonalData.Enrollments, ErasureAction.Erase, enrollments),
            new ErasureReceiptLine(CatalogPersonalData.LearningProgress, ErasureAction.Erase, completions + attempts),
            new ErasureReceiptLine(CatalogPersonalData.Certificates, ErasureAction.Erase, certificates),
            new ErasureReceiptLine(CatalogPersonalData.LearnerName, ErasureAction.Erase, learners),
        ];
    }

    public Task RestrictAsync(Guid subjectId, CancellationToken cancellationToken) => SetRestrictedAsync(subjectId, true, cancellationToken);

    public Task LiftAsync(Guid subjectId, CancellationToken cancellationToken) => SetRestrictedAsync(subjectId, false, cancellationToken);

    public async Task RectifyAsync(Guid subjectId, IReadOnlyDictionary<string, string?> changedFields, CancellationToken cancellationToken)
    {
        if (!changedFields.TryGetValue("name", out var name))
        {
            return;
        }

        // Only the copy changes: certificates already issued keep the name printed on them.
        var learner = await FindOrAddAsync(subjectId, cancellationToken);
        learner.Name = LearnerRegisteredConsumer.Truncate(name);
        learner.UpdatedAt = clock.GetUtcNow();
    }

    private async Task SetRestrictedAsync(Guid subjectId, bool restricted, CancellationToken cancellationToken)
    {
        var learner = await FindOrAddAsync(subjectId, cancellationToken);
        learner.ProcessingRestricted = restricted;
        learner.UpdatedAt = clock.GetUtcNow();
    }

    private async Task<Learner> FindOrAddAsync(Guid subjectId, CancellationToken cancellationToken)
    {
        var learner = await db.Learners.SingleOrDefaultAsync(l => l.SubjectId == subjectId, cancellationToken);
        if (learner is null)
        {
            learner = new Learner { SubjectId = subjectId };
            db.Learners.Add(learner);
        }

        return learner;
    }
}
