using Certometer.Analytics.Data;
using Certometer.Analytics.Pseudonymity;
using Certometer.Contracts.Privacy;
using Certometer.Messaging.Inbox;
using MassTransit;

namespace Certometer.Analytics.Collection;

/// <summary>Stops collecting a subject's usage from the moment they objected to analytics.</summary>
/// <remarks>
/// The objection is recorded as a choice made at <see cref="SubjectObjectedToProcessing.ObjectedAt"/>, like a
/// withdrawal: any consent given before it, however late it arrives, stays overruled. A consent the subject gives
/// explicitly after objecting turns collection back on. Unlike direct marketing (GDPR art. 21(3)), an objection to
/// analytics is not absolute, and a fresh, specific "yes" from the same person is the clearest statement of what they
/// now want; holding them to the older objection would ignore it. Data already collected is left to erasure.
/// </remarks>
internal sealed class ObjectionToAnalyticsConsumer(AnalyticsDbContext db, Pseudonyms pseudonyms)
    : IdempotentConsumer<SubjectObjectedToProcessing, AnalyticsDbContext>(db)
{
    protected override Task HandleOnceAsync(ConsumeContext<SubjectObjectedToProcessing> context, CancellationToken cancellationToken)
    {
        var objection = context.Message;
        return objection.Purpose == ObjectionPurpose.Analytics
            ? CollectionSwitches.RecordChoiceAsync(Db, pseudonyms.Of(objection.SubjectId), collectionAllowed: false, objection.ObjectedAt, cancellationToken)
            : Task.CompletedTask;
    }
}
