using Certometer.Catalog.Courses;

namespace Certometer.Catalog.UnitTests;

/// <summary>Course requests as an operator would write them, valid unless a test changes them.</summary>
internal static class CourseRequests
{
    public static CourseRequest Course() => new(
        Title: "Incident response",
        Slug: "incident-response",
        Description: "Handling production incidents calmly.",
        Level: "Intermediate",
        Kind: "Course",
        DurationMinutes: 90,
        PriceMinor: 4900,
        Currency: "EUR",
        Language: "en",
        Lessons: [new LessonRequest("Triage", 45), new LessonRequest("Postmortems", 45)]);

    public static CourseRequest Certification() => Course() with { Kind = "Certification", Exam = Exam() };

    public static ExamRequest Exam(int passMark = 70) => new(
        passMark,
        [
            new QuestionRequest("What comes first?", ["Triage", "Blame"], 0),
            new QuestionRequest("Who writes the postmortem?", ["Nobody", "The team", "Legal"], 1),
        ]);
}
