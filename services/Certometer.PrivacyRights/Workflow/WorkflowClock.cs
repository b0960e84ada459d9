using Certometer.PrivacyRights.Data;
using Certometer.PrivacyRights.Requests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Certometer.PrivacyRights.Workflow;

/// <summary>
/// The workflow's sense of time: finds the requests that may have work due (approved erasures whose cooling-off is
/// over, silent holders, notices never confirmed) and fires <see cref="ClockTicked"/> at each, and deletes expired
/// packages. Each request is handled in its own transaction, so one failure holds up nothing else, and several
/// instances can run: each request's lock orders them and the lifecycle's guards re-read the state.
/// </summary>
internal sealed class WorkflowClock(
    IServiceScopeFactory scopes, IOptions<WorkflowOptions> options, TimeProvider clock, ILogger<WorkflowClock> logger)
    : BackgroundService
{
    private const int BatchSize = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ClockInterval, clock);
        do
        {
            try
            {
                await TickAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The next tick tries again; nothing was half-done because every step is its own transaction.
                logger.LogError(exception, "The privacy workflow clock failed a tick.");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One pass over everything that is due now.</summary>
    public async Task TickAsync(CancellationToken cancellationToken)
    {
        var now = StoredTime.Now(clock);
        var noticeGivenUpBefore = now - options.Value.NoticeTimeout;
        List<Guid> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PrivacyRightsDbContext>();
            due = await db.Requests.AsNoTracking()
                .Where(r =>
                    (r.Status == PrivacyRequestStatus.Approved && r.WorkStartsAt <= now)
                    || (r.Stage == WorkflowStage.LockingAccount && r.AccountLockNextAskAt < now)
                    || (r.Stage == WorkflowStage.NotifyingSubject && r.CompletedAt < noticeGivenUpBefore)
                    || r.Stage == WorkflowStage.WaitingForHolders
                    || (r.Stage == WorkflowStage.AwaitingHolders
                        && db.HolderSteps.Any(s => s.RequestId == r.Id && s.AnsweredAt == null && s.NextAskAt < now)))
                .OrderBy(r => r.Deadline)
                .Select(r => r.Id)
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
            await db.AccessPackages.Where(p => p.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
        }

        foreach (var id in due)
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<RequestLifecycle>().FireAsync(id, new ClockTicked(), cancellationToken);
        }
    }
}
