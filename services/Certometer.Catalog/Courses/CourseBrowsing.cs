using System.Text.RegularExpressions;
using Certometer.Catalog.Data;
using Certometer.Catalog.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Catalog.Courses;

/// <summary>What a visitor may filter and sort the catalogue by; every parameter is optional.</summary>
/// <param name="Search">Words to find in the title or description, ignoring case.</param>
/// <param name="Kind">Course or Certification.</param>
/// <param name="Level">Beginner, Intermediate or Advanced.</param>
/// <param name="Language">A language tag; <c>en</c> also finds <c>en-GB</c>.</param>
/// <param name="Price"><c>free</c> or <c>paid</c>.</param>
/// <param name="MaxPrice">The highest price in minor units, whatever the currency.</param>
/// <param name="Sort"><c>title</c> (default), <c>newest</c>, <c>price</c>, <c>-price</c> or <c>duration</c>.</param>
/// <param name="Page">From 1.</param>
/// <param name="PageSize">1 to 100; 20 when not given.</param>
public sealed record CourseSearch(
    string? Search = null,
    string? Kind = null,
    string? Level = null,
    string? Language = null,
    string? Price = null,
    long? MaxPrice = null,
    string? Sort = null,
    int? Page = null,
    int? PageSize = null);

/// <summary>One course in the public catalogue list.</summary>
public sealed record CourseSummary(
    Guid Id,
    string Slug,
    string Title,
    string Description,
    CourseKind Kind,
    CourseLevel Level,
    int DurationMinutes,
    long PriceMinor,
    string Currency,
    string Language,
    bool HasExam,
    DateTimeOffset? PublishedAt);

/// <summary>A page of the public catalogue.</summary>
public sealed record CoursePage(IReadOnlyList<CourseSummary> Items, int Page, int PageSize, int TotalCount);

/// <summary>A published course's public page: the syllabus, and of its exam only how long it is and what it takes to pass.</summary>
public sealed record CourseDetails(
    Guid Id,
    string Slug,
    string Title,
    string Description,
    CourseKind Kind,
    CourseLevel Level,
    int DurationMinutes,
    long PriceMinor,
    string Currency,
    string Language,
    IReadOnlyList<LessonOutline> Syllabus,
    ExamOutline? Exam,
    DateTimeOffset? PublishedAt);

/// <summary>A lesson as shown on a course's public page.</summary>
public sealed record LessonOutline(Guid Id, string Title, int DurationMinutes);

/// <summary>What a visitor may know about an exam before enrolling: never its questions or answers.</summary>
public sealed record ExamOutline(int QuestionCount, int PassMarkPercent);

/// <summary>The anonymous catalogue: the busiest read path, so read-only queries, projections and revalidation by ETag.</summary>
internal static partial class CourseBrowsing
{
    private static readonly string[] Sorts = ["title", "newest", "price", "-price", "duration"];

    [GeneratedRegex("^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*$")]
    private static partial Regex LanguageTag();

    public static IEndpointRouteBuilder MapCourseBrowsing(this IEndpointRouteBuilder app)
    {
        // Anonymous on purpose: the privacy policy promises browsing without an account, and these reads hold no personal data.
        var courses = app.MapGroup("/api/catalog/courses").WithTags("Catalogue").AllowAnonymous();
        courses.MapGet("/", List).WithName("ListCourses").WithSummary("Published courses and certifications: search, filter, sort, page.");
        courses.MapGet("/{idOrSlug}", Get).ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("GetCourse").WithSummary("A published course by id or slug, with its syllabus.");
        return app;
    }

    private static async Task<Results<CacheableJson<CoursePage>, ValidationProblem>> List(
        [AsParameters] CourseSearch search, CatalogDbContext db, CancellationToken cancellationToken)
    {
        var errors = Paging.Validate(search.Page, search.PageSize);
        if (search.Kind is not null && !Enum.GetNames<CourseKind>().Contains(search.Kind, StringComparer.Ordinal))
        {
            errors["kind"] = ["Use Course or Certification."];
        }

        if (search.Level is not null && !Enum.GetNames<CourseLevel>().Contains(search.Level, StringComparer.Ordinal))
        {
            errors["level"] = ["Use Beginner, Intermediate or Advanced."];
        }

        if (search.Language is not null && (search.Language.Length > Course.LanguageMaxLength || !LanguageTag().IsMatch(search.Language)))
        {
            errors["language"] = ["Use a language tag, e.g. en or de-CH."];
        }

        if (search.Price is not (null or "free" or "paid"))
        {
            errors["price"] = ["Use free or paid."];
        }

        if (search.MaxPrice is < 0)
        {
            errors["maxPrice"] = ["Give a price in minor units, 0 or more."];
        }

        if (search.Sort is not null && !Sorts.Contains(search.Sort, StringComparer.Ordinal))
        {
            errors["sort"] = [$"Use one of: {string.Join(", ", Sorts)}."];
        }

        if (search.Search is { Length: > 200 })
        {
            errors["search"] = ["Search for at most 200 characters."];
        }
        else if (search.Search is not null && search.Search.Any(char.IsControl))
        {
            // PostgreSQL text cannot hold NUL, and no title or description holds a control character to find.
            errors["search"] = ["Search for printable text: control characters (NUL, tabs, escapes) are not allowed."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var query = db.Courses.AsNoTracking().Where(c => c.Status == CourseStatus.Published);
        if (!string.IsNullOrWhiteSpace(search.Search))
        {
            // ILIKE with the wildcards in the term escaped, served by the trigram indexes on title and description.
            var pattern = $"%{EscapeLike(search.Search.Trim())}%";
            query = query.Where(c => EF.Functions.ILike(c.Title, pattern, @"\") || EF.Functions.ILike(c.Description, pattern, @"\"));
        }

        if (search.Kind is not null)
        {
            var kind = Enum.Parse<CourseKind>(search.Kind);
            query = query.Where(c => c.Kind == kind);
        }

        if (search.Level is not null)
        {
            var level = Enum.Parse<CourseLevel>(search.Level);
            query = query.Where(c => c.Level == level);
        }

        if (search.Language is not null)
        {
            var subtags = search.Language + "-%";
            query = query.Where(c => EF.Functions.ILike(c.Language, search.Language) || EF.Functions.ILike(c.Language, subtags));
        }

        query = search.Price switch
        {
            "free" => query.Where(c => c.PriceMinor == 0),
            "paid" => query.Where(c => c.PriceMinor > 0),
            _ => query,
        };
        if (search.MaxPrice is { } maxPrice)
        {
            query = query.Where(c => c.PriceMinor <= maxPrice);
        }

        var (page, pageSize) = Paging.Resolve(search.Page, search.PageSize);
        var total = await query.CountAsync(cancellationToken);
        // The id breaks ties, so paging through equal titles or prices neither repeats nor skips a course.
        var ordered = search.Sort switch
        {
            "newest" => query.OrderByDescending(c => c.PublishedAt).ThenBy(c => c.Id),
            "price" => query.OrderBy(c => c.PriceMinor).ThenBy(c => c.Title).ThenBy(c => c.Id),
            "-price" => query.OrderByDescending(c => c.PriceMinor).ThenBy(c => c.Title).ThenBy(c => c.Id),
            "duration" => query.OrderBy(c => c.DurationMinutes).ThenBy(c => c.Title).ThenBy(c => c.Id),
            _ => query.OrderBy(c => c.Title).ThenBy(c => c.Id),
        };
        var items = await ordered.Skip((page - 1) * pageSize).Take(pageSize)
            .Select(c => new CourseSummary(
                c.Id, c.Slug, c.Title, c.Description, c.Kind, c.Level, c.DurationMinutes, c.PriceMinor, c.Currency, c.Language,
                c.Exam != null, c.PublishedAt))
            .ToListAsync(cancellationToken);
        return PublicCaching.Json(new CoursePage(items, page, pageSize, total), PublicCaching.Catalogue);
    }

    private static async Task<Results<CacheableJson<CourseDetails>, ProblemHttpResult>> Get(
        string idOrSlug, CatalogDbContext db, CancellationToken cancellationToken)
    {
        var published = db.Courses.AsNoTracking().Where(c => c.Status == CourseStatus.Published);
        published = Guid.TryParse(idOrSlug, out var id) ? published.Where(c => c.Id == id) : published.Where(c => c.Slug == idOrSlug);
        var course = await published
            .Select(c => new { c.Id, c.Slug, c.Title, c.Description, c.Kind, c.Level, c.DurationMinutes, c.PriceMinor, c.Currency, c.Language, c.Syllabus, c.Exam, c.PublishedAt })
            .SingleOrDefaultAsync(cancellationToken);
        if (course is null)
        {
            return Problems.NotFound("No published course has this id or slug.");
        }

        // The exam is read to count its questions; nothing of its content, least of all the answers, is copied out.
        return PublicCaching.Json(
            new CourseDetails(
                course.Id, course.Slug, course.Title, course.Description, course.Kind, course.Level, course.DurationMinutes, course.PriceMinor,
                course.Currency, course.Language,
                [.. course.Syllabus.Select(lesson => new LessonOutline(lesson.Id, lesson.Title, lesson.DurationMinutes))],
                course.Exam is { } exam ? new ExamOutline(exam.Questions.Count, exam.PassMarkPercent) : null,
                course.PublishedAt),
            PublicCaching.Catalogue);
    }

    private static string EscapeLike(string term) => term.Replace(@"\", @"\\", StringComparison.Ordinal)
        .Replace("%", @"\%", StringComparison.Ordinal)
        .Replace("_", @"\_", StringComparison.Ordinal);
}
