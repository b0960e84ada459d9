using Certometer.Auth;
using Certometer.Catalog.Data;
using Certometer.Catalog.Http;
using Certometer.Contracts.Catalog;
using Certometer.Messaging.Outbox;
using Certometer.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Catalog.Courses;

/// <summary>A course as operators see it: everything, including exam answers and the version to edit against.</summary>
public sealed record ManagedCourse(
    Guid Id,
    string Slug,
    string Title,
    string Description,
    CourseLevel Level,
    CourseKind Kind,
    int DurationMinutes,
    long PriceMinor,
    string Currency,
    string Language,
    CourseStatus Status,
    IReadOnlyList<Lesson> Lessons,
    Exam? Exam,
    uint Version,
    long OfferVersion,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? PublishedAt,
    DateTimeOffset? RetiredAt)
{
    public static ManagedCourse Of(Course c) => new(
        c.Id, c.Slug, c.Title, c.Description, c.Level, c.Kind, c.DurationMinutes, c.PriceMinor, c.Currency, c.Language, c.Status,
        c.Syllabus, c.Exam, c.RowVersion, c.OfferVersion, c.CreatedAt, c.UpdatedAt, c.PublishedAt, c.RetiredAt);
}

/// <summary>One line of the operators' list of every course, drafts and retired ones included.</summary>
public sealed record ManagedCourseSummary(
    Guid Id, string Slug, string Title, CourseKind Kind, CourseStatus Status, long PriceMinor, string Currency, uint Version, DateTimeOffset UpdatedAt);

/// <summary>A page of the operators' course list.</summary>
public sealed record ManagedCoursePage(IReadOnlyList<ManagedCourseSummary> Items, int Page, int PageSize, int TotalCount);

/// <summary>Operators write the catalogue: create, edit, publish and retire, each change offered to Billing through the outbox.</summary>
internal static class CourseEditing
{
    public static IEndpointRouteBuilder MapCourseEditing(this IEndpointRouteBuilder app)
    {
        var courses = app.MapGroup("/api/catalog/admin/courses").WithTags("Catalogue management")
            .RequireAuthorization(PlatformPolicies.Operator);
        courses.MapGet("/", List).WithName("ListAllCourses").WithSummary("Every course, drafts and retired ones included.");
        courses.MapGet("/{id}", Get).ProducesProblem(StatusCodes.Status404NotFound).WithName("GetManagedCourse").WithSummary("A course with its exam answers and the version to edit against.");
        courses.MapPost("/", Create).WithRequestBodyLimit(CourseRules.MaxRequestBytes).ProducesProblem(StatusCodes.Status409Conflict).WithName("CreateCourse").WithSummary("Creates a draft course or certification.");
        courses.MapPut("/{id}", Update).WithRequestBodyLimit(CourseRules.MaxRequestBytes).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).WithName("UpdateCourse")
            .WithSummary("Replaces a draft or published course; refused if someone else changed it since the given version.");
        courses.MapPost("/{id}/publish", Publish).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).WithName("PublishCourse").WithSummary("Puts a draft on sale.");
        courses.MapPost("/{id}/retire", Retire).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).WithName("RetireCourse").WithSummary("Takes a course off sale; enrollments keep working.");
        return app;
    }

    private static async Task<Results<Ok<ManagedCoursePage>, ValidationProblem>> List(
        CatalogDbContext db, CancellationToken cancellationToken, string? status = null, int? page = null, int? pageSize = null)
    {
        var errors = Paging.Validate(page, pageSize);
        CourseStatus? wanted = null;
        if (status is not null)
        {
            if (Enum.GetNames<CourseStatus>().Contains(status, StringComparer.Ordinal))
            {
                wanted = Enum.Parse<CourseStatus>(status);
            }
            else
            {
                errors["status"] = ["Use Draft, Published or Retired."];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var (pageNumber, size) = Paging.Resolve(page, pageSize);
        var query = db.Courses.AsNoTracking().Where(c => wanted == null || c.Status == wanted);
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(c => c.UpdatedAt).ThenBy(c => c.Id)
            .Skip((pageNumber - 1) * size).Take(size)
            .Select(c => new ManagedCourseSummary(c.Id, c.Slug, c.Title, c.Kind, c.Status, c.PriceMinor, c.Currency, c.RowVersion, c.UpdatedAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new ManagedCoursePage(items, pageNumber, size, total));
    }

    private static async Task<Results<Ok<ManagedCourse>, ProblemHttpResult>> Get(Guid id, CatalogDbContext db, CancellationToken cancellationToken)
    {
        var course = await db.Courses.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        return course is null ? NoSuchCourse() : TypedResults.Ok(ManagedCourse.Of(course));
    }

    private static async Task<Results<Created<ManagedCourse>, ValidationProblem, ProblemHttpResult>> Create(
        CourseRequest request, CatalogDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = CourseRules.Validate(request, editing: false);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var now = clock.GetUtcNow();
        var course = new Course
        {
            Id = Guid.CreateVersion7(now),
            Slug = request.Slug!,
            Title = request.Title!,
            Description = request.Description!,
            Currency = request.Currency!,
            Language = request.Language!,
            Status = CourseStatus.Draft,
            CreatedAt = now,
            UpdatedAt = now,
            OfferVersion = 1,
        };
        CourseRules.Apply(request, course);
        db.Courses.Add(course);
        if (await SaveAsync(db, cancellationToken) is { } conflict)
        {
            return conflict;
        }

        return TypedResults.Created($"/api/catalog/admin/courses/{course.Id}", ManagedCourse.Of(course));
    }

    private static async Task<Results<Ok<ManagedCourse>, ValidationProblem, ProblemHttpResult>> Update(
        Guid id, CourseRequest request, CatalogDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = CourseRules.Validate(request, editing: true);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var course = await db.Courses.SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (course is null)
        {
            return NoSuchCourse();
        }

        if (course.Status == CourseStatus.Retired)
        {
            return Conflict("A retired course cannot be edited.");
        }

        if (course.RowVersion != request.Version)
        {
            return StaleVersion();
        }

        // Checked again by the database at SaveChanges: the version read here could be overtaken before the update lands.
        db.Entry(course).Property(c => c.RowVersion).OriginalValue = request.Version!.Value;
        var offered = (course.Title, course.Slug, course.PriceMinor, course.Currency);
        CourseRules.Apply(request, course);
        Touch(course, clock);
        if (course.Status == CourseStatus.Published && offered != (course.Title, course.Slug, course.PriceMinor, course.Currency))
        {
            Offer(db, course, clock);
        }

        return await SaveAsync(db, cancellationToken) is { } conflict ? conflict : TypedResults.Ok(ManagedCourse.Of(course));
    }

    private static async Task<Results<Ok<ManagedCourse>, ProblemHttpResult>> Publish(
        Guid id, CatalogDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var course = await db.Courses.SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (course is null)
        {
            return NoSuchCourse();
        }

        switch (course.Status)
        {
            case CourseStatus.Published:
                return TypedResults.Ok(ManagedCourse.Of(course));
            case CourseStatus.Retired:
                return Conflict("A retired course cannot be published again; create a new one.");
        }

        course.Status = CourseStatus.Published;
        course.PublishedAt = clock.GetUtcNow();
        Touch(course, clock);
        Offer(db, course, clock);
        return await SaveAsync(db, cancellationToken) is { } conflict ? conflict : TypedResults.Ok(ManagedCourse.Of(course));
    }

    private static async Task<Results<Ok<ManagedCourse>, ProblemHttpResult>> Retire(
        Guid id, CatalogDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var course = await db.Courses.SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (course is null)
        {
            return NoSuchCourse();
        }

        switch (course.Status)
        {
            case CourseStatus.Retired:
                return TypedResults.Ok(ManagedCourse.Of(course));
            case CourseStatus.Draft:
                return Conflict("A draft was never on sale; edit it or leave it unpublished.");
        }

        var now = clock.GetUtcNow();
        course.Status = CourseStatus.Retired;
        course.RetiredAt = now;
        Touch(course, clock);
        db.AddIntegrationEvent(new CourseRetired(course.Id, course.OfferVersion, now), clock);
        return await SaveAsync(db, cancellationToken) is { } conflict ? conflict : TypedResults.Ok(ManagedCourse.Of(course));
    }

    private static void Touch(Course course, TimeProvider clock)
    {
        course.UpdatedAt = clock.GetUtcNow();
        course.OfferVersion++;
    }

    // Staged in the same SaveChanges as the change itself: Billing sees every offer, and never one that was rolled back.
    private static void Offer(CatalogDbContext db, Course course, TimeProvider clock) => db.AddIntegrationEvent(
        new CourseOffered(course.Id, course.Slug, course.Title, course.PriceMinor, course.Currency, course.OfferVersion, clock.GetUtcNow()),
        clock);

    private static async Task<ProblemHttpResult?> SaveAsync(CatalogDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }
        catch (DbUpdateConcurrencyException)
        {
            return StaleVersion();
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation())
        {
            return Conflict("Another course already uses this slug.");
        }
    }

    private static ProblemHttpResult StaleVersion() =>
        Conflict("The course changed since you read it; read it again and reapply your edit to the new version.");

    private static ProblemHttpResult Conflict(string title) => Problems.Conflict(title);

    private static ProblemHttpResult NoSuchCourse() => Problems.NotFound("No such course.");
}
