using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Certometer.HolderContract;

/// <summary>
/// Storage limitation on a timer: a service's job that deletes what is past its retention, once at start-up and then
/// every <see cref="Interval"/>. A failed round is logged and tried again next round; it never stops the service.
/// </summary>
public abstract partial class RetentionJob(TimeProvider clock, ILogger logger) : BackgroundService
{
    protected ILogger Logger { get; } = logger;

    protected TimeProvider Clock { get; } = clock;

    protected abstract TimeSpan Interval { get; }

    /// <summary>Deletes whatever is past its retention now.</summary>
    public abstract Task PruneAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, Clock);
        do
        {
            try
            {
                await PruneAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogPruneFailed(Logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention pruning failed; retrying next round")]
    private static partial void LogPruneFailed(ILogger logger, Exception exception);
}
