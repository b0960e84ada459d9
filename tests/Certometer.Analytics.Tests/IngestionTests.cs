using System.Net;
using System.Net.Http.Json;
using Certometer.Analytics.Ingestion;
using Certometer.TestInfrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Analytics.Tests;

public sealed class IngestionTests(AnalyticsService analytics)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_anonymous_visit_is_stored_under_its_random_id_with_a_coarse_region_and_the_client_address_is_in_no_column()
    {
        var visitor = Guid.NewGuid();
        using var client = analytics.Main.Client();

        (await client.SendAsync(Visits.Anonymous(visitor))).ShouldBe(HttpStatusCode.Accepted);

        var stored = await analytics.Main.QueryAsync(db => db.UsageEvents.AsNoTracking().SingleAsync(e => e.AnonymousId == visitor, Cancel));
        stored.Pseudonym.ShouldBeNull();
        stored.Location.ShouldBe(AnalyticsService.ClientRegion);
        stored.Page.ShouldBe("/courses/azure-fundamentals");
        stored.Area.ShouldBe("courses");
        stored.DeviceType.ShouldBe("desktop");
        stored.Browser.ShouldBe("firefox");
        stored.Language.ShouldBe("de-CH");
        stored.TimeZone.ShouldBe("Europe/Zurich");
        (stored.ScreenWidth, stored.ScreenHeight).ShouldBe((1280, 768));
        (await analytics.Main.ColumnsContainingAsync(AnalyticsService.ClientAddress)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_signed_in_visit_is_stored_under_the_keyed_pseudonym_and_no_column_anywhere_holds_the_subject_id()
    {
        var subject = Guid.NewGuid();
        await analytics.Main.RecordConsentAsync(subject, analytics: true, sequence: 1);
        using var client = analytics.Main.Client(AnalyticsService.LearnerToken(subject));

        // An app may keep sending its anonymous id after sign-in; it must not link the two.
        var anonymousId = Guid.NewGuid();
        (await client.SendAsync(Visits.Anonymous(anonymousId, page: "/exams/az-900"))).ShouldBe(HttpStatusCode.Accepted);

        var pseudonym = AnalyticsService.PseudonymOf(subject);
        var stored = await analytics.Main.QueryAsync(db => db.UsageEvents.AsNoTracking().Where(e => e.Pseudonym == pseudonym).ToListAsync(Cancel));
        stored.Count.ShouldBe(1);
        stored[0].AnonymousId.ShouldBeNull();
        stored[0].Page.ShouldBe("/exams/az-900");
        (await analytics.Main.ColumnsContainingAsync(subject.ToString("D"))).ShouldBeEmpty();
        (await analytics.Main.ColumnsContainingAsync(subject.ToString("N"))).ShouldBeEmpty();
        (await analytics.Main.ColumnsContainingAsync(anonymousId.ToString("D"))).ShouldBeEmpty();
        (await analytics.Main.ColumnsContainingAsync(pseudonym)).ShouldContain("usage_events.pseudonym");
    }

    [Fact]
    public async Task Query_strings_fragments_and_credentials_are_stripped_from_pages_referrers_and_exit_pages()
    {
        var visitor = Guid.NewGuid();
        using var client = analytics.Main.Client();
        var visit = Visits.Anonymous(visitor) with
        {
            Page = "/account/reset?email=jane.doe@example.com&token=s3cret#step-2",
            Referrer = "https://jane:pw@mail.example:8443/inbox/message?to=jane.doe@example.com#read",
            ExitPage = "https://certometer.example/checkout?session=s3cret",
        };

        (await client.SendAsync(visit)).ShouldBe(HttpStatusCode.Accepted);

        var stored = await analytics.Main.QueryAsync(db => db.UsageEvents.AsNoTracking().SingleAsync(e => e.AnonymousId == visitor, Cancel));
        stored.Page.ShouldBe("/account/reset");
        stored.Referrer.ShouldBe("https://mail.example:8443/inbox/message");
        stored.ExitPage.ShouldBe("https://certometer.example/checkout");
        (await analytics.Main.ColumnsContainingAsync("jane")).ShouldBeEmpty();
        (await analytics.Main.ColumnsContainingAsync("s3cret")).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_batch_with_one_bad_event_is_refused_with_a_problem_naming_that_event_and_nothing_is_stored()
    {
        var first = Guid.NewGuid();
        var third = Guid.NewGuid();
        using var client = analytics.Main.Client();
        var batch = new UsageEventBatchRequest(
        [
            Visits.Anonymous(first),
            Visits.Anonymous() with { ScreenWidth = 0, Language = "not a language tag" },
            Visits.Anonymous(third),
        ]);

        using var response = await client.PostAsJsonAsync("/api/analytics/events/batch", batch, Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        var problem = await response.Content.ReadFromJsonAsync<ValidationProblemDetails>(Cancel);
        problem!.Errors.Keys.ShouldBe(["events[1].screenWidth", "events[1].language"], ignoreOrder: true);
        var stored = await analytics.Main.QueryAsync(db => db.UsageEvents.CountAsync(e => e.AnonymousId == first || e.AnonymousId == third, Cancel));
        stored.ShouldBe(0);
    }

    [Fact]
    public async Task A_valid_batch_is_stored_whole_and_an_oversized_or_empty_batch_is_refused()
    {
        var visitor = Guid.NewGuid();
        using var client = analytics.Main.Client();

        using var valid = await client.PostAsJsonAsync(
            "/api/analytics/events/batch", new UsageEventBatchRequest([Visits.Anonymous(visitor), Visits.Anonymous(visitor, "/pricing")]), Cancel);
        using var oversized = await client.PostAsJsonAsync(
            "/api/analytics/events/batch", new UsageEventBatchRequest([.. Enumerable.Range(0, 101).Select(_ => Visits.Anonymous())]), Cancel);
        using var empty = await client.PostAsJsonAsync("/api/analytics/events/batch", new UsageEventBatchRequest([]), Cancel);

        valid.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await analytics.Main.QueryAsync(db => db.UsageEvents.CountAsync(e => e.AnonymousId == visitor, Cancel))).ShouldBe(2);
        oversized.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await oversized.Content.ReadFromJsonAsync<ValidationProblemDetails>(Cancel))!.Errors.Keys.ShouldBe(["events"]);
        empty.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task An_anonymous_visit_needs_a_random_version_4_id_and_a_plausible_time()
    {
        using var client = analytics.Main.Client();
        var timeBased = Guid.CreateVersion7().ToString();

        using var response = await client.PostAsJsonAsync("/api/analytics/events", Visits.Anonymous() with
        {
            AnonymousId = timeBased,
            OccurredAt = DateTimeOffset.UtcNow.AddDays(-30),
            DeviceType = "smart-fridge",
            TimeZone = "Mars/Olympus Mons",
        }, Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await response.Content.ReadFromJsonAsync<ValidationProblemDetails>(Cancel);
        problem!.Errors.Keys.ShouldBe(["anonymousId", "occurredAt", "deviceType", "timeZone"], ignoreOrder: true);
        (await analytics.Main.QueryAsync(db => db.UsageEvents.CountAsync(e => e.AnonymousId == Guid.Parse(timeBased), Cancel))).ShouldBe(0);
    }

    [Fact]
    public async Task A_visit_a_little_in_the_future_is_clamped_to_the_server_clock()
    {
        var visitor = Guid.NewGuid();
        using var client = analytics.Main.Client();
        var before = DateTimeOffset.UtcNow;

        (await client.SendAsync(Visits.Anonymous(visitor, at: DateTimeOffset.UtcNow.AddMinutes(3)))).ShouldBe(HttpStatusCode.Accepted);

        var stored = await analytics.Main.QueryAsync(db => db.UsageEvents.AsNoTracking().SingleAsync(e => e.AnonymousId == visitor, Cancel));
        stored.OccurredAt.ShouldBeInRange(before, DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task A_bearer_token_that_is_not_valid_for_analytics_is_refused_with_401_and_never_recorded_as_anonymous()
    {
        var visitor = Guid.NewGuid();
        var tokens = new[]
        {
            "not-a-token",
            TestTokens.ForPerson(Guid.NewGuid(), "learner", "catalog", "urn:certometer:catalog"),
            TestTokens.ForPerson(Guid.NewGuid(), "learner", AnalyticsService.Scope, AnalyticsService.Audience, TimeSpan.FromSeconds(-30)),
        };

        foreach (var token in tokens)
        {
            using var client = analytics.Main.Client(token);
            using var response = await client.PostAsJsonAsync("/api/analytics/events", Visits.Anonymous(visitor), Cancel);
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        }

        using var service = analytics.Main.Client(TestTokens.ForService(AnalyticsService.Scope, AnalyticsService.Audience));
        (await service.SendAsync(Visits.Anonymous(visitor))).ShouldBe(HttpStatusCode.Forbidden);
        (await analytics.Main.QueryAsync(db => db.UsageEvents.CountAsync(e => e.AnonymousId == visitor, Cancel))).ShouldBe(0);
    }
}
