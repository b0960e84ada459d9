using Certometer.Analytics.Data;
using Certometer.Analytics.Pseudonymity;
using Certometer.Contracts.Privacy;
using Certometer.Messaging.Inbox;
using MassTransit;

namespace Certometer.Analytics.Collection;

/// <summary>
/// Turns collection on or off as the consent ledger puts analytics consent in force: after a yes, after a refusal,
/// withdrawal or objection (the ledger records objections too), in the ledger's order.
/// </summary>
internal sealed class ConsentsInForceConsumer(AnalyticsDbContext db, Pseudonyms pseudonyms)
    : IdempotentConsumer<ConsentsInForce, AnalyticsDbContext>(db)
{
    protected override Task HandleOnceAsync(ConsumeContext<ConsentsInForce> context, CancellationToken cancellationToken)
    {
        var state = context.Message;
        return CollectionSwitches.RecordChoiceAsync(Db, pseudonyms.Of(state.SubjectId), state.Analytics, state.Sequence, state.RecordedAt, cancellationToken);
    }
}
