using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Certometer.Catalog.Courses;
using Certometer.Contracts.Identity;

namespace Certometer.Catalog.Tests;

/// <summary>Course requests with sensible defaults; each test changes only what it is about and marks titles to find its own.</summary>
public sealed record CourseSpec(
    string Marker,
    string Kind = "Course",
    long PriceMinor = 0,
    string Level = "Beginner",
    string Language = "en",
    string Currency = "EUR",
    int Lessons = 2,
    bool WithExam = true,
    string? Description = null,
    string? TitleSuffix = null)
{
    public string Title => $"Course {Marker}{TitleSuffix}";

    public string Slug => $"course-{Marker}{TitleSuffix?.ToLowerInvariant().Replace(' ', '-')}";

    /// <summary>The exam's three questions; the correct option is always index 1.</summary>
    public static readonly int[] CorrectAnswers = [1, 1, 1];

    public JsonObject ToRequest(uint? version = null)
    {
        var request = new JsonObject
        {
            ["title"] = Title,
            ["slug"] = Slug,
            ["description"] = Description ?? $"Everything about {Marker}.",
            ["level"] = Level,
            ["kind"] = Kind,
            ["durationMinutes"] = 90,
            ["priceMinor"] = PriceMinor,
            ["currency"] = Currency,
            ["language"] = Language,
            ["lessons"] = new JsonArray([.. Enumerable.Range(1, Lessons).Select(i => (JsonNode)new JsonObject { ["title"] = $"Lesson {i}", ["durationMinutes"] = 30 })]),
        };
        if (WithExam)
        {
            request["exam"] = new JsonObject
            {
                ["passMarkPercent"] = 60,
                ["questions"] = new JsonArray([.. Enumerable.Range(1, 3).Select(i => (JsonNode)new JsonObject
                {
                    ["text"] = $"Secret question {i} of {Marker}?",
                    ["options"] = new JsonArray("wrong answer", $"right answer {Marker}", "also wrong"),
                    ["correctOption"] = 1,
                })]),
            };
        }

        if (version is not null)
        {
            request["version"] = version;
        }

        return request;
    }
}

internal static class CatalogBuilders
{
    /// <summary>How the service writes JSON: web defaults, enums as names.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static string NewMarker() => Guid.NewGuid().ToString("N")[..12];

    public static async Task<ManagedCourse> CreateCourseAsync(this CatalogService catalog, CourseSpec spec)
    {
        using var http = catalog.Operator();
        using var response = await http.PostAsJsonAsync("/api/catalog/admin/courses", spec.ToRequest(), Cancel);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Cancel));
        return (await response.Content.ReadFromJsonAsync<ManagedCourse>(Json, Cancel))!;
    }

    public static async Task<ManagedCourse> PublishedCourseAsync(this CatalogService catalog, CourseSpec spec)
    {
        var course = await catalog.CreateCourseAsync(spec);
        using var http = catalog.Operator();
        using var response = await http.PostAsync($"/api/catalog/admin/courses/{course.Id}/publish", null, Cancel);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Cancel));
        return (await response.Content.ReadFromJsonAsync<ManagedCourse>(Json, Cancel))!;
    }

    /// <summary>A learner Catalog has heard of from Identity, so it knows the name to print.</summary>
    public static async Task<(Guid SubjectId, string Name)> RegisteredLearnerAsync(this CatalogService catalog)
    {
        var subject = Guid.NewGuid();
        var name = $"Learner {NewMarker()}";
        await catalog.DeliverAsync(new LearnerRegistered(subject, name, $"{subject:N}@example.test", "en", DateTimeOffset.UtcNow));
        return (subject, name);
    }

    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response, HttpStatusCode expected)
    {
        response.StatusCode.ShouldBe(expected, await response.Content.ReadAsStringAsync(Cancel));
        return (await response.Content.ReadFromJsonAsync<T>(Json, Cancel))!;
    }

    /// <summary>Asserts an RFC 7807 answer with <paramref name="status"/> and returns its JSON.</summary>
    public static async Task<JsonObject> ProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync(Cancel);
        response.StatusCode.ShouldBe(status, body);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", body);
        var problem = JsonNode.Parse(body)!.AsObject();
        problem["status"]!.GetValue<int>().ShouldBe((int)status);
        return problem;
    }

    public static IEnumerable<string> ErrorFields(this JsonObject problem) => problem["errors"]!.AsObject().Select(field => field.Key);
}
