using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;

namespace Certometer.Bench;

/// <summary>The baseline's message: carries nothing but the id that pairs its publish with its consume.</summary>
public sealed record RoundTripPing(Guid Id);

/// <summary>
/// A bare MassTransit publish/consume round trip through a given RabbitMQ broker, with the services' settings that
/// cost time on the wire: publisher confirms, a durable queue, persistent messages, the same prefetch. No database,
/// no outbox, no inbox: what is left is the broker and the client library.
/// </summary>
public sealed class BrokerRoundTrip : IAsyncDisposable
{
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<long>> _waiting = new();
    private readonly IBusControl _bus;

    private BrokerRoundTrip(string brokerAddress)
    {
        _bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(new Uri(brokerAddress), host => host.PublisherConfirmation = true);
            rabbit.ReceiveEndpoint($"bench-round-trip-{Guid.NewGuid():N}", endpoint =>
            {
                // The services' default prefetch (Messaging:PrefetchCount); the queue goes away with the bench.
                endpoint.PrefetchCount = 32;
                endpoint.AutoDelete = true;
                endpoint.Handler<RoundTripPing>(context =>
                {
                    if (_waiting.TryRemove(context.Message.Id, out var consumed))
                    {
                        consumed.TrySetResult(Stopwatch.GetTimestamp());
                    }

                    return Task.CompletedTask;
                });
            });
        });
    }

    public static async Task<BrokerRoundTrip> StartAsync(string brokerAddress, CancellationToken cancellationToken)
    {
        var roundTrip = new BrokerRoundTrip(brokerAddress);
        await roundTrip._bus.StartAsync(cancellationToken);
        return roundTrip;
    }

    /// <summary>Milliseconds from the start of one publish (confirm included) to its consumer running.</summary>
    public async Task<double> OnceAsync(CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid();
        var consumed = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[id] = consumed;
        var started = Stopwatch.GetTimestamp();
        await _bus.Publish(new RoundTripPing(id), cancellationToken);
        var finished = await consumed.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        return Stopwatch.GetElapsedTime(started, finished).TotalMilliseconds;
    }

    /// <summary>Round trips one after another.</summary>
    public async Task<double[]> SequentialAsync(int count, CancellationToken cancellationToken)
    {
        var latencies = new double[count];
        for (var i = 0; i < count; i++)
        {
            latencies[i] = await OnceAsync(cancellationToken);
        }

        return latencies;
    }

    /// <summary>Batches of round trips published all at once; the latencies of all of them, and each batch's wall time.</summary>
    public async Task<(double[] Latencies, double[] BatchSeconds)> BatchesAsync(int batches, int size, CancellationToken cancellationToken)
    {
        var latencies = new List<double>(batches * size);
        var seconds = new double[batches];
        for (var batch = 0; batch < batches; batch++)
        {
            var started = Stopwatch.GetTimestamp();
            latencies.AddRange(await Task.WhenAll(Enumerable.Range(0, size).Select(_ => OnceAsync(cancellationToken))));
            seconds[batch] = Stopwatch.GetElapsedTime(started).TotalSeconds;
        }

        return ([.. latencies], seconds);
    }

    public async ValueTask DisposeAsync() => await _bus.StopAsync(CancellationToken.None);
}
