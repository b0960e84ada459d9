using System.Net;
using System.Text.Json;
using Certometer.Contracts.Privacy;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Analytics.Tests;

public sealed class HolderTests(AnalyticsService analytics)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Export_holds_the_subjects_own_visits_and_choice_and_nobody_elses()
    {
        var (subject, other) = (Guid.NewGuid(), Guid.NewGuid());
        await VisitAsync(subject, "/courses/mine-1", "/courses/mine-2");
        await VisitAsync(other, "/courses/theirs");
        var requestId = Guid.NewGuid();

        await analytics.Main.PublishAsync(new SubjectDataExportRequested(requestId, subject, DateTimeOffset.UtcNow));

        var part = await analytics.Main.WaitForEventAsync<SubjectDataExported>(e => e.RequestId == requestId);
        part.Service.ShouldBe("analytics");
        part.RecordCount.ShouldBe(3);
        using var content = JsonDocument.Parse(part.ContentJson);
        content.RootElement.GetProperty("usageEvents").EnumerateArray().Select(e => e.GetProperty("page").GetString())
            .ShouldBe(["/courses/mine-1", "/courses/mine-2"]);
        content.RootElement.GetProperty("collectionChoices").GetProperty("analyticsConsent").GetBoolean().ShouldBeTrue();
        content.RootElement.GetProperty("pseudonymousId").GetString().ShouldBe(AnalyticsService.PseudonymOf(subject));
        part.ContentJson.ShouldNotContain("theirs");
        part.ContentJson.ShouldNotContain(AnalyticsService.PseudonymOf(other));
    }

    [Fact]
    public async Task Erasure_deletes_exactly_the_subjects_visits_and_choice_and_the_receipt_counts_them()
    {
        var (subject, other) = (Guid.NewGuid(), Guid.NewGuid());
        await VisitAsync(subject, "/courses/a", "/courses/b");
        await VisitAsync(other, "/courses/c");
        var requestId = Guid.NewGuid();

        await analytics.Main.PublishAsync(new SubjectErasureRequested(requestId, subject, DateTimeOffset.UtcNow));

        var erased = await analytics.Main.WaitForEventAsync<SubjectErased>(e => e.RequestId == requestId);
        erased.Service.ShouldBe("analytics");
        erased.Receipt.Lines.ShouldBe(
        [
            new ErasureReceiptLine("usage-events", ErasureAction.Erase, 2),
            new ErasureReceiptLine("collection-choices", ErasureAction.Erase, 1),
            // Analytics publishes nothing naming a subject.
            new ErasureReceiptLine("sent-event-copies", ErasureAction.Erase, 0),
            new ErasureReceiptLine("dead-letters", ErasureAction.Erase, 0),
        ], ignoreOrder: true);
        var (mine, theirs) = (AnalyticsService.PseudonymOf(subject), AnalyticsService.PseudonymOf(other));
        (await analytics.Main.ColumnsContainingAsync(mine)).ShouldBeEmpty();
        (await analytics.Main.QueryAsync(db => db.UsageEvents.CountAsync(e => e.Pseudonym == theirs, Cancel))).ShouldBe(1);
        (await analytics.Main.QueryAsync(db => db.CollectionSwitches.CountAsync(s => s.Pseudonym == theirs, Cancel))).ShouldBe(1);

        // A token still in flight is refused outright, and records nothing.
        using var client = analytics.Main.Client(AnalyticsService.LearnerToken(subject));
        (await client.SendAsync(Visits.SignedIn("/after-erasure"))).ShouldBe(HttpStatusCode.Unauthorized);
        (await analytics.Main.QueryAsync(db => db.UsageEvents.CountAsync(e => e.Pseudonym == mine, Cancel))).ShouldBe(0);
    }

    private async Task VisitAsync(Guid subject, params string[] pages)
    {
        await analytics.Main.RecordConsentAsync(subject, analytics: true, sequence: 1);
        using var client = analytics.Main.Client(AnalyticsService.LearnerToken(subject));
        foreach (var page in pages)
        {
            (await client.SendAsync(Visits.SignedIn(page))).ShouldBe(HttpStatusCode.Accepted);
        }
    }
}
