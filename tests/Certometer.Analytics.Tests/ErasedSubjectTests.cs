using Certometer.Contracts.Identity;
using Certometer.Contracts.Privacy;

namespace Certometer.Analytics.Tests;

/// <summary>Once Analytics erased a subject, no late choice, objection or restriction recreates a record under their pseudonym.</summary>
public sealed class ErasedSubjectTests(AnalyticsService analytics)
{
    public static TheoryData<string> LateArrivals => ["consent", "objection", "restriction", "restriction lifted"];

    [Theory]
    [MemberData(nameof(LateArrivals))]
    public async Task Whatever_arrives_after_the_erasure_leaves_nothing_under_the_subject_s_pseudonym(string arrival)
    {
        var subject = Guid.NewGuid();
        await analytics.Main.RecordConsentAsync(subject, analytics: true);
        var requestId = Guid.NewGuid();
        await analytics.Main.DeliverAsync(new SubjectErasureRequested(requestId, subject, DateTimeOffset.UtcNow));
        await analytics.Main.WaitForEventAsync<SubjectErased>(e => e.RequestId == requestId);
        var now = DateTimeOffset.UtcNow;

        await (arrival switch
        {
            "consent" => analytics.Main.DeliverAsync(new ConsentChoicesRecorded(subject, Marketing: false, Analytics: true, "privacy-centre", now)),
            "objection" => analytics.Main.DeliverAsync(new SubjectObjectedToProcessing(Guid.NewGuid(), subject, ObjectionPurpose.Analytics, now)),
            "restriction" => analytics.Main.DeliverAsync(new ProcessingRestrictionRequested(Guid.NewGuid(), subject, now)),
            "restriction lifted" => analytics.Main.DeliverAsync(new ProcessingRestrictionLiftRequested(Guid.NewGuid(), subject, now)),
            _ => throw new ArgumentOutOfRangeException(nameof(arrival)),
        });

        (await analytics.Main.ColumnsContainingAsync(AnalyticsService.PseudonymOf(subject))).ShouldBeEmpty();
        (await analytics.Main.ColumnsContainingAsync(subject.ToString())).ShouldBeEmpty();
    }
}
