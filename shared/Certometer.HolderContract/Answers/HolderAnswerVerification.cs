using Certometer.Contracts.Privacy;
using Certometer.HolderContract.Tombstones;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Certometer.HolderContract.Answers;

/// <summary>
/// Drops every <see cref="IPrivacyAnswer"/> not signed by the service it names: no receipt, export part, inventory,
/// account lock or notice outcome is recorded, nothing goes in the inbox, and the attempt is logged and counted by
/// message type and claimed service only.
/// </summary>
/// <remarks>
/// Dropped rather than parked as a dead letter: a forged answer is not a message an operator should ever replay.
/// </remarks>
internal sealed partial class HolderAnswerVerification<TMessage>(
    HolderAnswerVerifier verifier, ErasedSubjectMetrics metrics, ILogger<HolderAnswerVerification<TMessage>> logger)
    : IFilter<ConsumeContext<TMessage>>
    where TMessage : class
{
    public async Task Send(ConsumeContext<TMessage> context, IPipe<ConsumeContext<TMessage>> next)
    {
        if (context.Message is IPrivacyAnswer answer && !verifier.IsGenuine(context, answer))
        {
            // Counted as consumed: a message no consumer reports as consumed is parked whole in the dead letters.
            await context.NotifyConsumed(context, TimeSpan.Zero, nameof(HolderAnswerVerification<>));
            // The claimed name only when it is a holder's: anything else is the forger's free text, which could be
            // anything, personal data included, and would give the metric a new series with every forgery.
            var claimed = verifier.Knows(answer.Service) ? answer.Service : "unknown";
            metrics.AnswerRefused(typeof(TMessage).Name, claimed);
            LogRefused(typeof(TMessage).Name, claimed);
            return;
        }

        await next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("holder-answer-verification");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a {MessageType} claiming to come from {ClaimedService} without that service's signature")]
    private partial void LogRefused(string messageType, string claimedService);
}
