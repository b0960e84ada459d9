using Certometer.Catalog.Certificates;

namespace Certometer.Catalog.Enrollments;

/// <summary>One of the signed-in learner's enrollments with their progress.</summary>
public sealed record EnrollmentView(
    Guid Id,
    Guid CourseId,
    string CourseSlug,
    string CourseTitle,
    EnrollmentStatus Status,
    Guid? OrderId,
    DateTimeOffset EnrolledAt,
    DateTimeOffset? EndedAt,
    IReadOnlyList<Guid> CompletedLessonIds,
    int TotalLessons,
    bool HasExam,
    bool ExamPassed,
    CertificateView? Certificate);

/// <summary>Progress after marking a lesson complete, with the certificate if that completed an exam-less course.</summary>
public sealed record LessonProgress(Guid EnrollmentId, IReadOnlyList<Guid> CompletedLessonIds, int TotalLessons, CertificateView? Certificate);

/// <summary>An exam as a learner sits it: questions and options, never which option is correct.</summary>
public sealed record ExamPaper(Guid EnrollmentId, int PassMarkPercent, IReadOnlyList<ExamPaperQuestion> Questions);

/// <summary>One question of an exam paper; answer with the index of the chosen option.</summary>
public sealed record ExamPaperQuestion(Guid Id, string Text, IReadOnlyList<string> Options);

/// <summary>A learner's answers: one option index per question, in question order.</summary>
public sealed record ExamAnswers(IReadOnlyList<int?>? Answers);

/// <summary>How an attempt scored, and the certificate if it passed.</summary>
public sealed record ExamResult(Guid AttemptId, int ScorePercent, int PassMarkPercent, bool Passed, DateTimeOffset AttemptedAt, CertificateView? Certificate);
