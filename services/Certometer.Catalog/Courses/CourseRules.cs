using System.Text.RegularExpressions;

namespace Certometer.Catalog.Courses;

/// <summary>
/// A course as an operator writes it. Everything is nullable so a missing field is reported by name rather than
/// failing deserialisation; enums are strings for the same reason.
/// </summary>
/// <param name="Slug">The URL name: lower-case letters, digits and single hyphens, unique across the catalogue.</param>
/// <param name="Level">Beginner, Intermediate or Advanced.</param>
/// <param name="Kind">Course or Certification; a certification needs an exam.</param>
/// <param name="PriceMinor">In minor units of <paramref name="Currency"/> (cents); 0 for a free course.</param>
/// <param name="Currency">ISO 4217 code, three upper-case letters.</param>
/// <param name="Language">IETF language tag, e.g. <c>en</c> or <c>de-CH</c>.</param>
/// <param name="Lessons">The syllabus in order; give a lesson's id to keep learners' progress on it through an edit.</param>
/// <param name="Version">Required when editing: the <c>version</c> the edit is based on, so a stale edit is refused.</param>
public sealed record CourseRequest(
    string? Title,
    string? Slug,
    string? Description,
    string? Level,
    string? Kind,
    int? DurationMinutes,
    long? PriceMinor,
    string? Currency,
    string? Language,
    IReadOnlyList<LessonRequest?>? Lessons,
    ExamRequest? Exam = null,
    uint? Version = null);

/// <summary>One lesson as an operator writes it; <paramref name="Id"/> only to keep an existing lesson's identity.</summary>
public sealed record LessonRequest(string? Title, int? DurationMinutes, Guid? Id = null);

/// <summary>An exam as an operator writes it: 1 to 100 questions and a pass mark from 1 to 100 percent.</summary>
public sealed record ExamRequest(int? PassMarkPercent, IReadOnlyList<QuestionRequest?>? Questions);

/// <summary>One question: 2 to 6 options and the index of the one correct option.</summary>
public sealed record QuestionRequest(string? Text, IReadOnlyList<string?>? Options, int? CorrectOption);

/// <summary>What makes a course fit to be stored, and how a valid request becomes one.</summary>
internal static partial class CourseRules
{
    public const int MaxLessons = 200;
    public const int MaxQuestions = 100;
    public const int MinOptions = 2;
    public const int MaxOptions = 6;
    public const int MaxDurationMinutes = 100_000;
    public const int TextMaxLength = 1000;

    /// <summary>
    /// The largest course body read: the largest valid course (200 lessons, 100 questions of 6 options, every text at
    /// its maximum) is about 0.9 million characters, up to three bytes each in UTF-8.
    /// </summary>
    public const long MaxRequestBytes = 4 * 1024 * 1024;

    [GeneratedRegex("^[a-z0-9]+(?:-[a-z0-9]+)*$")]
    private static partial Regex SlugPattern();

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CurrencyPattern();

    // BCP 47 in the shape people use (language, optional script, region or variants); a full registry check buys little.
    [GeneratedRegex("^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*$")]
    private static partial Regex LanguagePattern();

    public static Dictionary<string, string[]> Validate(CourseRequest request, bool editing)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        void Fail(string field, string message) => errors[field] = [message];

        RequireText(request.Title, "title", Course.TitleMaxLength, Fail);
        RequireText(request.Description, "description", Course.DescriptionMaxLength, Fail);
        if (string.IsNullOrWhiteSpace(request.Slug) || request.Slug.Length > Course.SlugMaxLength || !SlugPattern().IsMatch(request.Slug))
        {
            Fail("slug", $"Use 1 to {Course.SlugMaxLength} lower-case letters, digits and single hyphens, e.g. intro-to-sql.");
        }

        if (!IsName<CourseLevel>(request.Level))
        {
            Fail("level", "Use Beginner, Intermediate or Advanced.");
        }

        var kindKnown = IsName<CourseKind>(request.Kind);
        if (!kindKnown)
        {
            Fail("kind", "Use Course or Certification.");
        }

        if (request.DurationMinutes is not (> 0 and <= MaxDurationMinutes))
        {
            Fail("durationMinutes", $"Give the duration in whole minutes, 1 to {MaxDurationMinutes}.");
        }

        if (request.PriceMinor is not >= 0)
        {
            Fail("priceMinor", "Give the price in minor units (e.g. cents), 0 for a free course.");
        }

        if (request.Currency is null || !CurrencyPattern().IsMatch(request.Currency))
        {
            Fail("currency", "Use an ISO 4217 code in upper case, e.g. EUR.");
        }

        if (request.Language is null || request.Language.Length > Course.LanguageMaxLength || !LanguagePattern().IsMatch(request.Language))
        {
            Fail("language", "Use an IETF language tag, e.g. en or de-CH.");
        }

        ValidateLessons(request.Lessons, Fail);
        if (request.Exam is null)
        {
            if (kindKnown && Enum.Parse<CourseKind>(request.Kind!) == CourseKind.Certification)
            {
                Fail("exam", "A certification needs an exam.");
            }
        }
        else
        {
            ValidateExam(request.Exam, Fail);
        }

        if (editing && request.Version is null)
        {
            Fail("version", "Give the version you edited, as returned when you read the course.");
        }

        return errors;
    }

    /// <summary>Copies a validated request onto <paramref name="course"/>, keeping the ids of lessons the request names.</summary>
    public static void Apply(CourseRequest request, Course course)
    {
        course.Title = request.Title!.Trim();
        course.Slug = request.Slug!;
        course.Description = request.Description!.Trim();
        course.Level = Enum.Parse<CourseLevel>(request.Level!);
        course.Kind = Enum.Parse<CourseKind>(request.Kind!);
        course.DurationMinutes = request.DurationMinutes!.Value;
        course.PriceMinor = request.PriceMinor!.Value;
        course.Currency = request.Currency!;
        course.Language = request.Language!;

        var existing = course.Syllabus.Select(lesson => lesson.Id).ToHashSet();
        course.Syllabus = request.Lessons!.Select(lesson => new Lesson(
            lesson!.Id is { } id && existing.Contains(id) ? id : Guid.CreateVersion7(),
            lesson.Title!.Trim(),
            lesson.DurationMinutes!.Value)).ToList();

        course.Exam = request.Exam is { } exam
            ? new Exam(
                exam.PassMarkPercent!.Value,
                exam.Questions!.Select(question => new ExamQuestion(
                    Guid.CreateVersion7(),
                    question!.Text!.Trim(),
                    question.Options!.Select(option => option!.Trim()).ToList(),
                    question.CorrectOption!.Value)).ToList())
            : null;
    }

    private static void ValidateLessons(IReadOnlyList<LessonRequest?>? lessons, Action<string, string> fail)
    {
        if (lessons is null || lessons.Count is 0 or > MaxLessons)
        {
            fail("lessons", $"Give the syllabus as 1 to {MaxLessons} lessons, in order.");
            return;
        }

        for (var i = 0; i < lessons.Count; i++)
        {
            var lesson = lessons[i];
            if (lesson is null)
            {
                fail($"lessons[{i}]", "A lesson needs a title and a duration.");
                continue;
            }

            RequireText(lesson.Title, $"lessons[{i}].title", Course.TitleMaxLength, fail);
            if (lesson.DurationMinutes is not (> 0 and <= MaxDurationMinutes))
            {
                fail($"lessons[{i}].durationMinutes", $"Give the duration in whole minutes, 1 to {MaxDurationMinutes}.");
            }
        }

        var repeated = lessons.Select(lesson => lesson?.Id).OfType<Guid>().GroupBy(id => id).FirstOrDefault(ids => ids.Count() > 1);
        if (repeated is not null)
        {
            fail("lessons", "Each lesson id may appear once.");
        }
    }

    private static void ValidateExam(ExamRequest exam, Action<string, string> fail)
    {
        if (exam.PassMarkPercent is not (> 0 and <= 100))
        {
            fail("exam.passMarkPercent", "Give the pass mark as a percentage, 1 to 100.");
        }

        if (exam.Questions is null || exam.Questions.Count is 0 or > MaxQuestions)
        {
            fail("exam.questions", $"Give 1 to {MaxQuestions} questions, in order.");
            return;
        }

        for (var i = 0; i < exam.Questions.Count; i++)
        {
            var question = exam.Questions[i];
            var field = $"exam.questions[{i}]";
            if (question is null)
            {
                fail(field, "A question needs its text, options and correct option.");
                continue;
            }

            RequireText(question.Text, $"{field}.text", TextMaxLength, fail);
            if (question.Options is null || question.Options.Count is < MinOptions or > MaxOptions
                || question.Options.Any(option => string.IsNullOrWhiteSpace(option) || option.Length > TextMaxLength))
            {
                fail($"{field}.options", $"Give {MinOptions} to {MaxOptions} options, each 1 to {TextMaxLength} characters.");
            }
            else if (question.CorrectOption is not { } correct || correct < 0 || correct >= question.Options.Count)
            {
                fail($"{field}.correctOption", $"Give the index (0 to {question.Options.Count - 1}) of the one correct option.");
            }
        }
    }

    // Exact member names only: Enum.TryParse would also take numbers and comma-separated combinations.
    private static bool IsName<TEnum>(string? value)
        where TEnum : struct, Enum => value is not null && Enum.GetNames<TEnum>().Contains(value, StringComparer.Ordinal);

    private static void RequireText(string? value, string field, int maxLength, Action<string, string> fail)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Trim().Length > maxLength)
        {
            fail(field, $"Required, 1 to {maxLength} characters.");
        }
    }
}
