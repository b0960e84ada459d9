using Certometer.Persistence;
using Certometer.PrivacyRights.Data;
using Certometer.PrivacyRights.Requests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Certometer.PrivacyRights.Workflow;

/// <summary>
/// The workflow's sense of time: starts approved erasures once their cooling-off period is over, asks silent holders
/// again, and deletes expired packages. Each request is handled in its own transaction, so one failure holds up
/// nothing else, and several instances can run: each request's lock orders them and each re-reads the state.
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
        var now = RequestChanges.Now(clock);
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
            await AdvanceAsync(scope.ServiceProvider, id, now, askSilentNow: false, cancellationToken);
        }
    }

    /// <summary>Starts a request whose time has come, or asks its silent holders again; also what compliance staff trigger by hand.</summary>
    public static Task AdvanceAsync(IServiceProvider services, Guid requestId, DateTimeOffset now, bool askSilentNow, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<PrivacyRightsDbContext>();
        var workflow = services.GetRequiredService<RequestWorkflow>();
        return RequestChanges.RunAsync(
            db,
            requestId,
            async ct =>
            {
                var request = await db.Requests.SingleOrDefaultAsync(r => r.Id == requestId, ct);
                if (request is null)
                {
                    return false;
                }

                if (request.Status == PrivacyRequestStatus.Approved && request.WorkStartsAt <= now)
                {
                    await workflow.StartAsync(request, now, ct);
                }
                else
                {
                    await workflow.AskSilentAgainAsync(request, now, askSilentNow, ct);
                }

                await db.SaveAndCommitAsync(ct);
                return true;
            },
            cancellationToken);
    }
}
