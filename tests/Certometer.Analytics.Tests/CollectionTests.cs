using System.Net;
using Certometer.Contracts.Privacy;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Analytics.Tests;

public sealed class CollectionTests(AnalyticsService analytics)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Without_a_recorded_consent_or_after_a_refusal_visits_are_accepted_but_not_kept_and_consent_given_later_resumes_collection()
    {
        var subject = Guid.NewGuid();
        using var client = analytics.Main.Client(AnalyticsService.LearnerToken(subject));

        (await client.SendAsync(Visits.SignedIn("/before-any-choice"))).ShouldBe(HttpStatusCode.Accepted);
        await analytics.Main.RecordConsentAsync(subject, analytics: false, sequence: 1);
        (await client.SendAsync(Visits.SignedIn("/after-refusal"))).ShouldBe(HttpStatusCode.Accepted);
        (await StoredPagesAsync(subject)).ShouldBeEmpty();

        await analytics.Main.RecordConsentAsync(subject, analytics: true, sequence: 2);
        (await client.SendAsync(Visits.SignedIn("/after-consent"))).ShouldBe(HttpStatusCode.Accepted);

        (await StoredPagesAsync(subject)).ShouldBe(["/after-consent"]);
    }

    [Fact]
    public async Task A_withdrawal_stops_collection_and_an_earlier_ledger_state_delivered_late_does_not_overturn_it()
    {
        var subject = Guid.NewGuid();
        using var client = analytics.Main.Client(AnalyticsService.LearnerToken(subject));
        await analytics.Main.RecordConsentAsync(subject, analytics: true, sequence: 1);
        (await client.SendAsync(Visits.SignedIn("/while-consented"))).ShouldBe(HttpStatusCode.Accepted);

        await analytics.Main.RecordConsentAsync(subject, analytics: false, sequence: 2);
        // The consent again, redelivered under a new message id after the withdrawal: earlier in the ledger, so ignored.
        await analytics.Main.RecordConsentAsync(subject, analytics: true, sequence: 1);
        (await client.SendAsync(Visits.SignedIn("/after-withdrawal"))).ShouldBe(HttpStatusCode.Accepted);

        (await StoredPagesAsync(subject)).ShouldBe(["/while-consented"]);
    }

    [Fact]
    public async Task While_processing_is_restricted_nothing_is_collected_and_once_lifted_collection_resumes()
    {
        var subject = Guid.NewGuid();
        using var client = analytics.Main.Client(AnalyticsService.LearnerToken(subject));
        await analytics.Main.RecordConsentAsync(subject, analytics: true, sequence: 1);

        var restrict = Guid.NewGuid();
        await analytics.Main.PublishAsync(new ProcessingRestrictionRequested(restrict, subject, DateTimeOffset.UtcNow));
        (await analytics.Main.WaitForEventAsync<ProcessingRestrictionApplied>(e => e.RequestId == restrict)).Service.ShouldBe("analytics");
        (await client.SendAsync(Visits.SignedIn("/while-restricted"))).ShouldBe(HttpStatusCode.Accepted);
        (await StoredPagesAsync(subject)).ShouldBeEmpty();

        // A new consent does not lift a restriction: only PrivacyRights does.
        await analytics.Main.RecordConsentAsync(subject, analytics: true, sequence: 2);
        (await client.SendAsync(Visits.SignedIn("/consent-while-restricted"))).ShouldBe(HttpStatusCode.Accepted);
        (await StoredPagesAsync(subject)).ShouldBeEmpty();

        var lift = Guid.NewGuid();
        await analytics.Main.PublishAsync(new ProcessingRestrictionLiftRequested(lift, subject, DateTimeOffset.UtcNow));
        await analytics.Main.WaitForEventAsync<ProcessingRestrictionLifted>(e => e.RequestId == lift);
        (await client.SendAsync(Visits.SignedIn("/after-lift"))).ShouldBe(HttpStatusCode.Accepted);

        (await StoredPagesAsync(subject)).ShouldBe(["/after-lift"]);
    }

    [Fact]
    public async Task After_an_objection_the_ledger_recorded_nothing_is_collected_until_the_subject_explicitly_consents_again()
    {
        var subject = Guid.NewGuid();
        var marketingObjector = Guid.NewGuid();
        using var client = analytics.Main.Client(AnalyticsService.LearnerToken(subject));
        using var marketingObjectorClient = analytics.Main.Client(AnalyticsService.LearnerToken(marketingObjector));
        await analytics.Main.RecordConsentAsync(subject, analytics: true, sequence: 1);
        await analytics.Main.RecordConsentAsync(marketingObjector, analytics: true, sequence: 1);
        (await client.SendAsync(Visits.SignedIn("/before-objection"))).ShouldBe(HttpStatusCode.Accepted);

        // The ledger records an objection to analytics as a withdrawal; one to marketing leaves analytics as it was.
        await analytics.Main.RecordConsentAsync(subject, analytics: false, sequence: 2);
        await analytics.Main.RecordConsentAsync(marketingObjector, analytics: true, sequence: 2);
        // The earlier consent redelivered late: earlier in the ledger than the objection, so it does not overturn it.
        await analytics.Main.RecordConsentAsync(subject, analytics: true, sequence: 1);
        (await client.SendAsync(Visits.SignedIn("/after-objection"))).ShouldBe(HttpStatusCode.Accepted);
        (await marketingObjectorClient.SendAsync(Visits.SignedIn("/objected-to-marketing-only"))).ShouldBe(HttpStatusCode.Accepted);

        (await StoredPagesAsync(subject)).ShouldBe(["/before-objection"]);
        (await StoredPagesAsync(marketingObjector)).ShouldBe(["/objected-to-marketing-only"]);

        // A consent given explicitly after the objection is the subject's newer wish, and it turns collection back on.
        await analytics.Main.RecordConsentAsync(subject, analytics: true, sequence: 3);
        (await client.SendAsync(Visits.SignedIn("/after-new-consent"))).ShouldBe(HttpStatusCode.Accepted);
        (await StoredPagesAsync(subject)).ShouldBe(["/before-objection", "/after-new-consent"]);
    }

    private Task<List<string>> StoredPagesAsync(Guid subject)
    {
        var pseudonym = AnalyticsService.PseudonymOf(subject);
        return analytics.Main.QueryAsync(db => db.UsageEvents.Where(e => e.Pseudonym == pseudonym).OrderBy(e => e.Id).Select(e => e.Page).ToListAsync(Cancel));
    }
}
