using System.Diagnostics.Metrics;
using Certometer.Contracts;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Certometer.HolderContract.Tombstones;

/// <summary>
/// Drops every <see cref="ISubjectFact"/> about a subject this holder has erased, however late it arrives: the consumer
/// runs under <see cref="ErasedSubjectGuard.ActFor"/>, its transaction is refused, and the message is acknowledged
/// rather than retried or sent to the error queue, where it would keep the subject's data.
/// </summary>
internal sealed partial class ErasedSubjectFacts<TMessage>(ILogger<ErasedSubjectFacts<TMessage>> logger, ErasedSubjectMetrics metrics)
    : IFilter<ConsumeContext<TMessage>>
    where TMessage : class
{
    public async Task Send(ConsumeContext<TMessage> context, IPipe<ConsumeContext<TMessage>> next)
    {
        if (context.Message is not ISubjectFact fact)
        {
            await next.Send(context);
            return;
        }

        try
        {
            using (ErasedSubjectGuard.ActFor(fact.SubjectId))
            {
                await next.Send(context);
            }
        }
        catch (SubjectErasedException)
        {
            // Counted as consumed: a message no consumer reports as consumed goes to the dead-letter pipe, whole, which
            // is the very copy of the subject's data this filter exists to prevent.
            await context.NotifyConsumed(context, TimeSpan.Zero, nameof(ErasedSubjectFacts<>));
            // The message type only: the subject id is exactly what must not reappear in logs.
            metrics.FactDropped(typeof(TMessage).Name);
            LogDropped(typeof(TMessage).Name);
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("erased-subject-facts");

    [LoggerMessage(Level = LogLevel.Information, Message = "Dropped a {MessageType} about a subject erased here")]
    private partial void LogDropped(string messageType);
}

/// <summary>Counts what the holder contract stopped: facts about erased subjects, their API calls, forged commands and answers.</summary>
public sealed class ErasedSubjectMetrics : IDisposable
{
    public const string MeterName = "Certometer.HolderContract";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _factsDropped;
    private readonly Counter<long> _callsRefused;
    private readonly Counter<long> _commandsRefused;
    private readonly Counter<long> _answersRefused;
    private readonly Counter<long> _unreadableDropped;

    public ErasedSubjectMetrics()
    {
        _factsDropped = _meter.CreateCounter<long>(
            "certometer.privacy.erased_subject.facts_dropped", description: "Events about an erased subject dropped instead of applied.");
        _callsRefused = _meter.CreateCounter<long>(
            "certometer.privacy.erased_subject.calls_refused", description: "API calls with a token of an erased subject refused.");
        _commandsRefused = _meter.CreateCounter<long>(
            "certometer.privacy.commands_refused", description: "Privacy commands without a valid PrivacyRights signature, dropped.");
        _answersRefused = _meter.CreateCounter<long>(
            "certometer.privacy.answers_refused", description: "Answers to PrivacyRights not signed by the service they name, dropped.");
        _unreadableDropped = _meter.CreateCounter<long>(
            "certometer.privacy.erased_subject.sealed_dropped", description: "Events sealed under a destroyed subject key, dropped unread.");
    }

    internal void FactDropped(string messageType) => _factsDropped.Add(1, new KeyValuePair<string, object?>("message_type", messageType));

    internal void UnreadableDropped(string messageType) => _unreadableDropped.Add(1, new KeyValuePair<string, object?>("message_type", messageType));

    internal void CallRefused() => _callsRefused.Add(1);

    internal void CommandRefused(string messageType) => _commandsRefused.Add(1, new KeyValuePair<string, object?>("message_type", messageType));

    internal void AnswerRefused(string messageType, string claimedService) => _answersRefused.Add(
        1, new KeyValuePair<string, object?>("message_type", messageType), new KeyValuePair<string, object?>("claimed_service", claimedService));

    public void Dispose() => _meter.Dispose();
}
