using Certometer.PrivacyRights.Data;

namespace Certometer.PrivacyRights.Audit;

/// <summary>
/// The one writer that links committed audit entries into the chain (<see cref="AuditChain.SealPendingAsync"/>): woken
/// by each commit that staged entries, and every few seconds regardless, so entries left by a crash between a commit
/// and its sealing, or by another instance, are linked too.
/// </summary>
internal sealed partial class AuditChainAppender(IServiceScopeFactory scopes, AuditChain chain, ILogger<AuditChainAppender> logger)
    : BackgroundService
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _committed = new(0, 1);

    /// <summary>Entries were committed: seal them now rather than at the next sweep.</summary>
    public void Notify()
    {
        try
        {
            _committed.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken; the next pass seals every committed entry anyway.
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var consecutiveFailures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _committed.WaitAsync(consecutiveFailures == 0 ? SweepInterval : SweepInterval * Math.Min(consecutiveFailures, 15), stoppingToken);
                await using var scope = scopes.CreateAsyncScope();
                await chain.SealPendingAsync(scope.ServiceProvider.GetRequiredService<PrivacyRightsDbContext>(), stoppingToken);
                consecutiveFailures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                // Nothing is lost: the entries stay pending, committed with their changes, until a pass succeeds.
                consecutiveFailures++;
                LogSealingFailed(exception.GetType().Name, consecutiveFailures);
            }
        }
    }

    public override void Dispose()
    {
        _committed.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Linking pending audit entries into the chain failed ({ExceptionType}), consecutive failures: {Failures}")]
    private partial void LogSealingFailed(string exceptionType, int failures);
}
