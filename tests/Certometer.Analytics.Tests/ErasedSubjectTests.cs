using Certometer.Contracts.Privacy;

namespace Certometer.Analytics.Tests;

/// <summary>Once Analytics erased a subject, no late consent state or restriction recreates a record under their pseudonym.</summary>
public sealed class ErasedSubjectTests(AnalyticsService analytics)
{
    public static TheoryData<string> LateArrivals => ["consent", "restriction", "restriction lifted"];

    [Theory]
    [MemberData(nameof(LateArrivals))]
    public async Task Whatever_arrives_after_the_erasure_leaves_nothing_under_the_subject_s_pseudonym(string arrival)
    {
        var subject = Guid.NewGuid();
        await analytics.Main.RecordConsentAsync(subject, analytics: true, sequence: 1);
        var requestId = Guid.NewGuid();
        await analytics.Main.DeliverAsync(new SubjectErasureRequested(requestId, subject, DateTimeOffset.UtcNow));
        await analytics.Main.WaitForEventAsync<SubjectErased>(e => e.RequestId == requestId);
        var now = DateTimeOffset.UtcNow;

        await (arrival switch
        {
            "consent" => analytics.Main.DeliverAsync(new ConsentsInForce(subject, Marketing: false, Analytics: true, Sequence: 2, now)),
            "restriction" => analytics.Main.DeliverAsync(new ProcessingRestrictionRequested(Guid.NewGuid(), subject, now)),
            "restriction lifted" => analytics.Main.DeliverAsync(new ProcessingRestrictionLiftRequested(Guid.NewGuid(), subject, now)),
            _ => throw new ArgumentOutOfRangeException(nameof(arrival)),
        });

        (await analytics.Main.ColumnsContainingAsync(AnalyticsService.PseudonymOf(subject))).ShouldBeEmpty();
        (await analytics.Main.ColumnsContainingAsync(subject.ToString())).ShouldBeEmpty();
    }
}
