namespace Certometer.PrivacyRights.SubjectKeys;

/// <summary>
/// After a master key rotation, re-wraps every subject key still under an old master key, a batch at a time, so the old
/// master key can be retired. Runs a minute after start-up and then hourly; with nothing to re-wrap a pass is one indexed query.
/// </summary>
internal sealed partial class SubjectKeyRewrapping(SubjectKeyStore store, ILogger<SubjectKeyRewrapping> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Not at once: on a fresh database the migrations are still running.
        await Task.Delay(TimeSpan.FromMinutes(1), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1));
        do
        {
            try
            {
                int rewrapped, total = 0;
                while ((rewrapped = await store.RewrapBatchAsync(stoppingToken)) > 0)
                {
                    total += rewrapped;
                }

                if (total > 0)
                {
                    LogRewrapped(total);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogFailed(exception.GetType().Name);
            }
        }
        while (await NextTickAsync(timer, stoppingToken));
    }

    private static async Task<bool> NextTickAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-wrapped {Count} subject keys under the current master key")]
    private partial void LogRewrapped(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Re-wrapping subject keys failed ({ExceptionType}); trying again in an hour")]
    private partial void LogFailed(string exceptionType);
}
