using Certometer.Contracts.Privacy;
using Certometer.HolderContract.Tombstones;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Certometer.HolderContract.Commands;

/// <summary>
/// Drops every <see cref="IPrivacyCommand"/> whose signature is missing or does not verify: nothing is erased, locked
/// or exported, nothing is recorded in the inbox, and the attempt is logged (type only) and counted.
/// </summary>
/// <remarks>
/// Dropped rather than parked as a dead letter: a forged command is not a message an operator should ever replay, and
/// it names a subject.
/// </remarks>
internal sealed partial class PrivacyCommandVerification<TMessage>(
    PrivacyCommandVerifier verifier, ErasedSubjectMetrics metrics, ILogger<PrivacyCommandVerification<TMessage>> logger)
    : IFilter<ConsumeContext<TMessage>>
    where TMessage : class
{
    public async Task Send(ConsumeContext<TMessage> context, IPipe<ConsumeContext<TMessage>> next)
    {
        if (context.Message is IPrivacyCommand && !verifier.IsGenuine(context))
        {
            // Counted as consumed: a message no consumer reports as consumed is parked whole in the dead letters.
            await context.NotifyConsumed(context, TimeSpan.Zero, nameof(PrivacyCommandVerification<>));
            metrics.CommandRefused(typeof(TMessage).Name);
            LogRefused(typeof(TMessage).Name);
            return;
        }

        await next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("privacy-command-verification");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a {MessageType} without a valid PrivacyRights signature")]
    private partial void LogRefused(string messageType);
}
