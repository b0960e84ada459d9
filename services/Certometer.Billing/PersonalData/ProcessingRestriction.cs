namespace Certometer.Billing.PersonalData;

/// <summary>A subject whose billing data is kept but not processed beyond what they ask for themselves.</summary>
internal sealed class ProcessingRestriction
{
    public Guid SubjectId { get; init; }

    public DateTimeOffset RestrictedAt { get; init; }
}
