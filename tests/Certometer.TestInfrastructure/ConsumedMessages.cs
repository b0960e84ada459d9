using System.Collections.Concurrent;
using MassTransit;

namespace Certometer.TestInfrastructure;

/// <summary>
/// Counts each message a service's consumers completed, applied or deliberately dropped, so a test waits for exactly
/// the deliveries it made instead of for an effect that a dropped message never has.
/// </summary>
public sealed class ConsumedMessages(TimeSpan timeout) : IConsumeObserver
{
    private readonly ConcurrentDictionary<Guid, int> _completed = new();

    public Task PreConsume<T>(ConsumeContext<T> context)
        where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context)
        where T : class
    {
        if (context.MessageId is { } id)
        {
            _completed.AddOrUpdate(id, 1, (_, count) => count + 1);
        }

        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception)
        where T : class => Task.CompletedTask;

    public Task WaitAsync(Guid messageId, int times, CancellationToken cancellationToken) => Eventually.HoldsAsync(
        () => Task.FromResult(_completed.GetValueOrDefault(messageId) >= times),
        $"message {messageId} was consumed {times} time(s)",
        timeout,
        cancellationToken);
}
