using Certometer.HolderContract.Tombstones;
using MassTransit;
using MassTransit.Context;
using Microsoft.Extensions.Logging;

namespace Certometer.HolderContract.Sealing;

/// <summary>
/// Opens the sealed personal values of each consumed event before its consumer sees it, and drops the event when the
/// subject's key is gone: the subject was erased, and a late copy of their data is exactly what must not be applied.
/// </summary>
/// <remarks>
/// Runs after the signature checks, which verify the message as it was signed: sealed. Plain values pass unchanged (an
/// event staged before sealing existed, or one a test publishes straight to the broker). A value that does not open under
/// the subject's key was forged or moved from another event: the message faults and is parked, still sealed.
/// </remarks>
internal sealed partial class SealedValueOpening<TMessage>(
    ISubjectKeyring keyring, ErasedSubjectMetrics metrics, ILogger<SealedValueOpening<TMessage>> logger)
    : IFilter<ConsumeContext<TMessage>>
    where TMessage : class
{
    public async Task Send(ConsumeContext<TMessage> context, IPipe<ConsumeContext<TMessage>> next)
    {
        if (SealedValues.ShapeOf(typeof(TMessage)) is not { } shape)
        {
            await next.Send(context);
            return;
        }

        var json = SealedValues.ToJson(context.Message);
        if (!SealedValues.HasSealed(json, shape))
        {
            await next.Send(context);
            return;
        }

        if (!await SealedValues.OpenWithAsync(keyring, json, shape, context.CancellationToken))
        {
            // Consumed, not faulted: a faulted message is parked and retried, and this one can never be read again.
            await context.NotifyConsumed(context, TimeSpan.Zero, nameof(SealedValueOpening<>));
            metrics.UnreadableDropped(typeof(TMessage).Name);
            LogDropped(typeof(TMessage).Name);
            return;
        }

        var opened = (TMessage)SealedValues.FromJson(json, typeof(TMessage));
        await next.Send(new MessageConsumeContext<TMessage>(context, opened));
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("sealed-value-opening");

    [LoggerMessage(Level = LogLevel.Information, Message = "Dropped a {MessageType} whose subject's key is destroyed: the subject was erased")]
    private partial void LogDropped(string messageType);
}
