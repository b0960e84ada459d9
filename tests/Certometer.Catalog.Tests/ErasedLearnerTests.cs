using System.Net;
using Certometer.Contracts.Billing;
using Certometer.Contracts.Identity;
using Certometer.Contracts.Privacy;
using Certometer.TestInfrastructure;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Catalog.Tests;

/// <summary>Once Catalog erased a learner, nothing that arrives later (an event, a request, a call with an old token) brings them back.</summary>
public sealed class ErasedLearnerTests(CatalogService catalog)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static TheoryData<string> LateArrivals => ["registration replayed", "rectification", "payment", "refund", "restriction", "restriction lifted"];

    [Theory]
    [MemberData(nameof(LateArrivals))]
    public async Task Whatever_arrives_after_the_erasure_leaves_none_of_the_learner_s_values_in_Catalog(string arrival)
    {
        var (subject, name) = await catalog.RegisteredLearnerAsync();
        var course = await catalog.PublishedCourseAsync(new CourseSpec(CatalogBuilders.NewMarker(), PriceMinor: 2500));
        var orderId = Guid.NewGuid();
        await catalog.DeliverAsync(new PaymentSucceeded(orderId, subject, course.Id, 2500, "EUR", DateTimeOffset.UtcNow));
        await EraseAsync(subject);
        var lateName = $"Late {CatalogBuilders.NewMarker()}";

        await (arrival switch
        {
            "registration replayed" => catalog.DeliverAsync(new LearnerRegistered(subject, name, $"{subject:N}@example.test", "en", DateTimeOffset.UtcNow)),
            "rectification" => catalog.DeliverAsync(new SubjectDataRectified(subject, new Dictionary<string, string?> { ["name"] = lateName }, DateTimeOffset.UtcNow)),
            "payment" => catalog.DeliverAsync(new PaymentSucceeded(Guid.NewGuid(), subject, course.Id, 2500, "EUR", DateTimeOffset.UtcNow)),
            "refund" => catalog.DeliverAsync(new PaymentRefunded(orderId, subject, course.Id, 2500, "EUR", DateTimeOffset.UtcNow)),
            "restriction" => catalog.DeliverAsync(new ProcessingRestrictionRequested(Guid.NewGuid(), subject, DateTimeOffset.UtcNow)),
            "restriction lifted" => catalog.DeliverAsync(new ProcessingRestrictionLiftRequested(Guid.NewGuid(), subject, DateTimeOffset.UtcNow)),
            _ => throw new ArgumentOutOfRangeException(nameof(arrival)),
        });

        var scan = await ScanAsync();
        scan.ColumnsContaining(subject.ToString(), StringComparison.Ordinal).ShouldBeEmpty();
        scan.ColumnsContaining(name, StringComparison.Ordinal).ShouldBeEmpty();
        scan.ColumnsContaining(lateName, StringComparison.Ordinal).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_token_issued_before_the_erasure_is_refused_by_every_learner_endpoint_and_writes_nothing()
    {
        var (subject, _) = await catalog.RegisteredLearnerAsync();
        var course = await catalog.PublishedCourseAsync(new CourseSpec(CatalogBuilders.NewMarker()));
        using var learner = catalog.Client(subject);
        (await learner.GetAsync("/api/catalog/me/enrollments", Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK, "the token works before the erasure");

        await EraseAsync(subject);

        var calls = new (string Name, Func<Task<HttpResponseMessage>> Call)[]
        {
            ("list my enrollments", () => learner.GetAsync("/api/catalog/me/enrollments", Cancel)),
            ("list my certificates", () => learner.GetAsync("/api/catalog/me/certificates", Cancel)),
            ("enroll in a free course", () => learner.PostAsync($"/api/catalog/courses/{course.Id}/enrollments", null, Cancel)),
        };
        foreach (var (what, call) in calls)
        {
            using var response = await call();
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, what);
            response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", what);
            response.Headers.WwwAuthenticate.ToString().ShouldContain("invalid_token", customMessage: what);
        }

        (await ScanAsync()).ColumnsContaining(subject.ToString(), StringComparison.Ordinal).ShouldBeEmpty();
    }

    private async Task EraseAsync(Guid subject)
    {
        // Sent events are the one place the subject may linger; the erasure waits for them, so the test need not.
        var requestId = Guid.NewGuid();
        await catalog.DeliverAsync(new SubjectErasureRequested(requestId, subject, DateTimeOffset.UtcNow));
        await catalog.WaitForEventAsync<SubjectErased>(e => e.RequestId == requestId);
    }

    private async Task<DatabaseScan> ScanAsync()
    {
        var connectionString = await catalog.QueryAsync(db => Task.FromResult(db.Database.GetConnectionString()!));
        var scan = await DatabaseScan.ReadAsync(connectionString, Cancel);
        scan.Columns.ShouldContain(column => column.StartsWith("learners.", StringComparison.Ordinal), "the scan must see the tables it is meant to prove clean");
        return scan;
    }
}
