using Certometer.Contracts.Privacy;

namespace Certometer.Billing.Tests;

/// <summary>Once Billing erased a learner, no late correction or restriction writes their values again.</summary>
public sealed class ErasedLearnerTests(BillingService billing)
{
    public static TheoryData<string> LateArrivals => ["rectification", "restriction"];

    [Theory]
    [MemberData(nameof(LateArrivals))]
    public async Task Whatever_arrives_after_the_erasure_leaves_none_of_the_learner_s_values_in_Billing(string arrival)
    {
        using var learner = new Learner(billing);
        await learner.OrderAsync(await billing.OfferCourseAsync());
        var requestId = Guid.NewGuid();
        await billing.DeliverAsync(new SubjectErasureRequested(requestId, learner.SubjectId, DateTimeOffset.UtcNow));
        await billing.WaitForEventAsync<SubjectErased>(e => e.RequestId == requestId);
        var lateName = $"Late Name {Guid.NewGuid():N}";

        await (arrival switch
        {
            "rectification" => billing.DeliverAsync(
                new SubjectDataRectified(learner.SubjectId, new Dictionary<string, string?> { ["name"] = lateName }, DateTimeOffset.UtcNow)),
            "restriction" => billing.DeliverAsync(new ProcessingRestrictionRequested(Guid.NewGuid(), learner.SubjectId, DateTimeOffset.UtcNow)),
            _ => throw new ArgumentOutOfRangeException(nameof(arrival)),
        });

        var values = new[] { learner.SubjectId.ToString(), learner.Details.Name!, learner.Details.Address!.Line1!, lateName };
        (await billing.AllTextAsync()).Where(cell => values.Any(value => cell.Value.Contains(value, StringComparison.OrdinalIgnoreCase)))
            .ShouldBeEmpty();
    }
}
