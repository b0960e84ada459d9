using Certometer.Analytics.Data;
using Certometer.Analytics.Pseudonymity;
using Certometer.Contracts.Identity;
using Certometer.Messaging.Inbox;
using MassTransit;

namespace Certometer.Analytics.Collection;

/// <summary>Turns collection on after analytics consent and off after its refusal or withdrawal.</summary>
internal sealed class ConsentChoicesRecordedConsumer(AnalyticsDbContext db, Pseudonyms pseudonyms)
    : IdempotentConsumer<ConsentChoicesRecorded, AnalyticsDbContext>(db)
{
    protected override Task HandleOnceAsync(ConsumeContext<ConsentChoicesRecorded> context, CancellationToken cancellationToken)
    {
        var choice = context.Message;
        return CollectionSwitches.RecordChoiceAsync(Db, pseudonyms.Of(choice.SubjectId), choice.Analytics, choice.RecordedAt, cancellationToken);
    }
}
