using System.Security.Claims;
using Certometer.Auth;
using Certometer.Catalog.Certificates;
using Certometer.Catalog.Courses;
using Certometer.Catalog.Data;
using Certometer.Catalog.Http;
using Certometer.Catalog.Learners;
using Certometer.Contracts.Catalog;
using Certometer.Messaging.Outbox;
using Certometer.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Catalog.Enrollments;

/// <summary>
/// A learner's own enrollments, progress and exams. The learner is always the token's subject; an enrollment of anyone
/// else answers 404 exactly like one that does not exist, so its existence is never confirmed.
/// </summary>
internal static class LearningEndpoints
{
    private const string NoSuchEnrollment = "You have no enrollment with this id.";

    public static IEndpointRouteBuilder MapLearningEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/catalog/courses/{id}/enrollments", EnrollInFreeCourse).RequireAuthorization(PlatformPolicies.SignedIn)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status402PaymentRequired)
            .WithTags("Learning").WithName("EnrollInFreeCourse")
            .WithSummary("Enrolls the signed-in learner in a free published course; enrolling again returns the same enrollment.");

        var me = app.MapGroup("/api/catalog/me/enrollments").WithTags("Learning").RequireAuthorization(PlatformPolicies.SignedIn);
        me.MapGet("/", List).WithName("ListMyEnrollments").WithSummary("The signed-in learner's enrollments with progress.");
        me.MapGet("/{id}", Get).ProducesProblem(StatusCodes.Status404NotFound).WithName("GetMyEnrollment").WithSummary("One of the signed-in learner's enrollments.");
        me.MapPost("/{id}/lessons/{lessonId}/complete", CompleteLesson)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("CompleteLesson").WithSummary("Marks a lesson complete; completing the last lesson of a course without an exam issues its certificate.");
        me.MapGet("/{id}/exam", GetExam).ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("GetMyExam").WithSummary("The course's exam questions and options, without answers.");
        me.MapPost("/{id}/exam/attempts", AttemptExam)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("AttemptExam").WithSummary("Scores an exam attempt and records it; a pass issues the certificate, once.");
        return app;
    }

    private static async Task<Results<Created<EnrollmentView>, Ok<EnrollmentView>, ProblemHttpResult>> EnrollInFreeCourse(
        Guid id, ClaimsPrincipal user, CatalogDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (CallerSubject.Of(user) is not { } subject)
        {
            return Subject.Missing();
        }

        var course = await db.Courses.AsNoTracking().Where(c => c.Id == id && c.Status == CourseStatus.Published)
            .Select(c => new { c.Id, c.Title, c.PriceMinor }).SingleOrDefaultAsync(cancellationToken);
        if (course is null)
        {
            return Problems.NotFound("No published course has this id.");
        }

        if (await ActiveEnrollmentAsync(db, subject, id, cancellationToken) is { } existing)
        {
            return TypedResults.Ok((await ViewsAsync(db, subject, existing, cancellationToken)).Single());
        }

        if (course.PriceMinor > 0)
        {
            return TypedResults.Problem(
                title: "This course must be bought.",
                detail: "Buy it through checkout; you are enrolled as soon as the payment succeeds.",
                statusCode: StatusCodes.Status402PaymentRequired);
        }

        var now = clock.GetUtcNow();
        var enrollment = new Enrollment
        {
            Id = Guid.CreateVersion7(now), SubjectId = subject, CourseId = course.Id, Status = EnrollmentStatus.Active, EnrolledAt = now,
        };
        db.Enrollments.Add(enrollment);
        db.AddIntegrationEvent(new EnrollmentCreated(enrollment.Id, subject, course.Id, course.Title, null, now), clock);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation())
        {
            // A simultaneous request enrolled first; enrolling is idempotent, so answer with that enrollment.
            db.ChangeTracker.Clear();
            var winner = await ActiveEnrollmentAsync(db, subject, id, cancellationToken);
            return TypedResults.Ok((await ViewsAsync(db, subject, winner!.Value, cancellationToken)).Single());
        }

        return TypedResults.Created($"/api/catalog/me/enrollments/{enrollment.Id}", (await ViewsAsync(db, subject, enrollment.Id, cancellationToken)).Single());
    }

    private static async Task<Results<Ok<List<EnrollmentView>>, ProblemHttpResult>> List(
        ClaimsPrincipal user, CatalogDbContext db, CancellationToken cancellationToken) =>
        CallerSubject.Of(user) is { } subject ? TypedResults.Ok(await ViewsAsync(db, subject, null, cancellationToken)) : Subject.Missing();

    private static async Task<Results<Ok<EnrollmentView>, ProblemHttpResult>> Get(
        Guid id, ClaimsPrincipal user, CatalogDbContext db, CancellationToken cancellationToken)
    {
        if (CallerSubject.Of(user) is not { } subject)
        {
            return Subject.Missing();
        }

        var view = (await ViewsAsync(db, subject, id, cancellationToken)).SingleOrDefault();
        return view is null ? Problems.NotFound(NoSuchEnrollment) : TypedResults.Ok(view);
    }

    private static async Task<Results<Ok<LessonProgress>, ProblemHttpResult>> CompleteLesson(
        Guid id, Guid lessonId, ClaimsPrincipal user, CatalogDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (CallerSubject.Of(user) is not { } subject)
        {
            return Subject.Missing();
        }

        return await InEnrollmentLockAsync<Results<Ok<LessonProgress>, ProblemHttpResult>>(db, subject, id, problem => problem, async (enrollment, course) =>
        {
            if (course.Syllabus.All(lesson => lesson.Id != lessonId))
            {
                return Problems.NotFound("This course has no lesson with this id.");
            }

            var completed = await db.LessonCompletions.Where(c => c.EnrollmentId == enrollment.Id).Select(c => c.LessonId).ToListAsync(cancellationToken);
            if (!completed.Contains(lessonId))
            {
                db.LessonCompletions.Add(new LessonCompletion { EnrollmentId = enrollment.Id, LessonId = lessonId, CompletedAt = clock.GetUtcNow() });
                completed.Add(lessonId);
            }

            Certificate? certificate = null;
            if (CertificateIssuing.IsEarnedByLessons(course, completed))
            {
                certificate = await CertificateIssuing.IssueOnceAsync(db, enrollment, course, clock, cancellationToken);
            }

            var inSyllabus = course.Syllabus.Select(lesson => lesson.Id).Where(completed.Contains).ToList();
            return TypedResults.Ok(new LessonProgress(
                enrollment.Id, inSyllabus, course.Syllabus.Count, certificate is null ? null : CertificateView.Of(certificate)));
        }, cancellationToken);
    }

    private static async Task<Results<Ok<ExamPaper>, ProblemHttpResult>> GetExam(
        Guid id, ClaimsPrincipal user, CatalogDbContext db, CancellationToken cancellationToken)
    {
        if (CallerSubject.Of(user) is not { } subject)
        {
            return Subject.Missing();
        }

        var found = await (from enrollment in db.Enrollments.AsNoTracking()
                           join course in db.Courses.AsNoTracking() on enrollment.CourseId equals course.Id
                           where enrollment.Id == id && enrollment.SubjectId == subject
                           select new { course.Exam }).SingleOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return Problems.NotFound(NoSuchEnrollment);
        }

        if (found.Exam is not { } exam)
        {
            return Problems.NotFound("This course has no exam.");
        }

        return TypedResults.Ok(new ExamPaper(
            id, exam.PassMarkPercent, [.. exam.Questions.Select(question => new ExamPaperQuestion(question.Id, question.Text, question.Options))]));
    }

    private static async Task<Results<Ok<ExamResult>, ValidationProblem, ProblemHttpResult>> AttemptExam(
        Guid id, ExamAnswers request, ClaimsPrincipal user, CatalogDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (CallerSubject.Of(user) is not { } subject)
        {
            return Subject.Missing();
        }

        return await InEnrollmentLockAsync<Results<Ok<ExamResult>, ValidationProblem, ProblemHttpResult>>(db, subject, id, problem => problem, async (enrollment, course) =>
        {
            if (course.Exam is not { } exam)
            {
                return Problems.NotFound("This course has no exam.");
            }

            var errors = ValidateAnswers(request.Answers, exam);
            if (errors.Count > 0)
            {
                return TypedResults.ValidationProblem(errors);
            }

            var answers = request.Answers!.Select(answer => answer!.Value).ToArray();
            var now = clock.GetUtcNow();
            var score = exam.ScorePercent(answers);
            var attempt = new ExamAttempt
            {
                Id = Guid.CreateVersion7(now), EnrollmentId = enrollment.Id, Answers = answers, ScorePercent = score,
                Passed = exam.IsPass(score), AttemptedAt = now,
            };
            db.ExamAttempts.Add(attempt);
            var certificate = attempt.Passed ? await CertificateIssuing.IssueOnceAsync(db, enrollment, course, clock, cancellationToken) : null;
            return TypedResults.Ok(new ExamResult(
                attempt.Id, score, exam.PassMarkPercent, attempt.Passed, now, certificate is null ? null : CertificateView.Of(certificate)));
        }, cancellationToken);
    }

    /// <summary>What is wrong with an attempt's answers: one per question, in order, each the index of one of its options.</summary>
    internal static Dictionary<string, string[]> ValidateAnswers(IReadOnlyList<int?>? answers, Exam exam)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (answers is null || answers.Count != exam.Questions.Count)
        {
            errors["answers"] = [$"Answer each of the {exam.Questions.Count} questions, in order, with the index of the chosen option."];
            return errors;
        }

        for (var i = 0; i < answers.Count; i++)
        {
            var options = exam.Questions[i].Options.Count;
            if (answers[i] is not { } answer || answer < 0 || answer >= options)
            {
                errors[$"answers[{i}]"] = [$"Choose an option from 0 to {options - 1}."];
            }
        }

        return errors;
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the caller's active enrollment, holding its row lock until the changes commit,
    /// so concurrent requests on one enrollment (two passing attempts, the last two lessons) cannot both issue a certificate.
    /// Nothing is saved unless <paramref name="work"/> succeeds with a 200.
    /// </summary>
    private static Task<TResult> InEnrollmentLockAsync<TResult>(
        CatalogDbContext db,
        Guid subject,
        Guid enrollmentId,
        Func<ProblemHttpResult, TResult> refuse,
        Func<Enrollment, Course, Task<TResult>> work,
        CancellationToken cancellationToken)
        where TResult : INestedHttpResult =>
        db.InTransactionAsync(
            async ct =>
            {
                var enrollment = (await db.Enrollments
                    .FromSql($"""SELECT * FROM enrollments WHERE id = {enrollmentId} AND subject_id = {subject} FOR UPDATE""")
                    .ToListAsync(ct)).SingleOrDefault();
                if (enrollment is null)
                {
                    return refuse(Problems.NotFound(NoSuchEnrollment));
                }

                if (enrollment.Status != EnrollmentStatus.Active)
                {
                    return refuse(Problems.Conflict("This enrollment has ended.", "The order that paid for it was refunded."));
                }

                var course = await db.Courses.AsNoTracking().SingleAsync(c => c.Id == enrollment.CourseId, ct);
                var result = await work(enrollment, course);
                if (result.Result is IStatusCodeHttpResult { StatusCode: StatusCodes.Status200OK })
                {
                    await db.SaveAndCommitAsync(ct);
                }

                return result;
            },
            cancellationToken);

    private static async Task<Guid?> ActiveEnrollmentAsync(CatalogDbContext db, Guid subject, Guid courseId, CancellationToken cancellationToken) =>
        await db.Enrollments.AsNoTracking()
            .Where(e => e.SubjectId == subject && e.CourseId == courseId && e.Status == EnrollmentStatus.Active)
            .Select(e => (Guid?)e.Id).SingleOrDefaultAsync(cancellationToken);

    /// <summary>The subject's enrollments (or just <paramref name="only"/>, if it is theirs) with progress, results and certificates.</summary>
    private static async Task<List<EnrollmentView>> ViewsAsync(CatalogDbContext db, Guid subject, Guid? only, CancellationToken cancellationToken)
    {
        var enrollments = await (from enrollment in db.Enrollments.AsNoTracking()
                                 join course in db.Courses.AsNoTracking() on enrollment.CourseId equals course.Id
                                 where enrollment.SubjectId == subject && (only == null || enrollment.Id == only)
                                 orderby enrollment.EnrolledAt
                                 select new { enrollment, course.Slug, course.Title, course.Syllabus, HasExam = course.Exam != null })
            .ToListAsync(cancellationToken);
        var ids = enrollments.Select(e => e.enrollment.Id).ToList();
        var completions = (await db.LessonCompletions.AsNoTracking().Where(c => ids.Contains(c.EnrollmentId)).ToListAsync(cancellationToken))
            .ToLookup(c => c.EnrollmentId, c => c.LessonId);
        var passed = (await db.ExamAttempts.AsNoTracking().Where(a => ids.Contains(a.EnrollmentId) && a.Passed)
            .Select(a => a.EnrollmentId).Distinct().ToListAsync(cancellationToken)).ToHashSet();
        var certificates = await db.Certificates.AsNoTracking().Where(c => c.EnrollmentId != null && ids.Contains(c.EnrollmentId.Value))
            .ToDictionaryAsync(c => c.EnrollmentId!.Value, cancellationToken);

        return [.. enrollments.Select(e => new EnrollmentView(
            e.enrollment.Id, e.enrollment.CourseId, e.Slug, e.Title, e.enrollment.Status, e.enrollment.OrderId, e.enrollment.EnrolledAt,
            e.enrollment.EndedAt,
            [.. e.Syllabus.Select(lesson => lesson.Id).Where(completions[e.enrollment.Id].Contains)],
            e.Syllabus.Count, e.HasExam, passed.Contains(e.enrollment.Id),
            certificates.TryGetValue(e.enrollment.Id, out var certificate) ? CertificateView.Of(certificate) : null))];
    }
}
