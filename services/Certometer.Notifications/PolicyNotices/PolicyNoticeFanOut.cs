using Certometer.Notifications.Data;
using Certometer.Notifications.Delivery;
using Certometer.Notifications.Recipients;
using Certometer.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Certometer.Notifications.PolicyNotices;

/// <summary>
/// Queues a policy change notice for every known recipient, one batch per transaction. Owed to everyone the policy
/// binds, so neither marketing choices nor restriction stop it; the deduplication key makes it once per recipient
/// and version, whichever instance or retry queues it.
/// </summary>
/// <remarks>
/// Several instances can run: a run is claimed with <c>FOR UPDATE SKIP LOCKED</c> for the length of one batch. Batches
/// walk the recipients in registration order, so people who register while a run is under way are reached at its end.
/// </remarks>
internal sealed partial class PolicyNoticeFanOut(
    IServiceScopeFactory scopeFactory,
    IOptions<PolicyNoticeOptions> options,
    TimeProvider clock,
    ILogger<PolicyNoticeFanOut> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            bool worked;
            try
            {
                worked = await QueueNextBatchAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Nothing of the failed batch was committed; the cursor still points before it.
                LogBatchFailed(exception.GetType().Name);
                worked = false;
            }

            if (!worked)
            {
                await Task.Delay(options.Value.PollInterval, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>Queues one batch of one unfinished run; false when no run has work left.</summary>
    internal async Task<bool> QueueNextBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        var queue = scope.ServiceProvider.GetRequiredService<MessageQueue>();
        var batchSize = options.Value.BatchSize;

        return await db.InTransactionAsync(
            async ct =>
            {
                var runs = await db.PolicyNoticeRuns.FromSql(
                    $"""
                    SELECT * FROM policy_notice_runs WHERE completed_at IS NULL
                    ORDER BY published_at LIMIT 1 FOR UPDATE SKIP LOCKED
                    """).ToListAsync(ct);
                if (runs is not [var run])
                {
                    return false;
                }

                var recipients = await NextRecipientsAsync(db, run, batchSize, ct);
                var values = new Dictionary<string, string>
                {
                    ["version"] = run.Version,
                    ["effective_at"] = Dates.Of(run.EffectiveAt),
                    ["summary"] = run.SummaryOfChanges,
                };
                foreach (var recipient in recipients)
                {
                    if (await queue.EnqueueAsync(MessageKind.PolicyChangeNotice, $"policy-notice:{run.Version}:{recipient.SubjectId}", recipient, values, ct))
                    {
                        run.NoticesQueued++;
                    }
                }

                if (recipients.Count > 0)
                {
                    run.LastCreatedAt = recipients[^1].CreatedAt;
                    run.LastSubjectId = recipients[^1].SubjectId;
                }

                if (recipients.Count < batchSize)
                {
                    run.CompletedAt = clock.GetUtcNow();
                    LogRunCompleted(run.NoticesQueued);
                }

                await db.SaveAndCommitAsync(ct);
                return true;
            },
            cancellationToken);
    }

    // Keyset paging on (registration time, id): each batch costs the same however far the run has got.
    private static Task<List<Recipient>> NextRecipientsAsync(NotificationsDbContext db, PolicyNoticeRun run, int batchSize, CancellationToken cancellationToken) =>
        run.LastSubjectId is { } lastSubject && run.LastCreatedAt is { } lastCreated
            ? db.Recipients.FromSql(
                $"""
                SELECT * FROM recipients WHERE (created_at, subject_id) > ({lastCreated}, {lastSubject})
                ORDER BY created_at, subject_id LIMIT {batchSize}
                """).AsNoTracking().ToListAsync(cancellationToken)
            : db.Recipients.FromSql(
                $"""
                SELECT * FROM recipients ORDER BY created_at, subject_id LIMIT {batchSize}
                """).AsNoTracking().ToListAsync(cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A policy notice batch failed ({ExceptionType}); retrying")]
    private partial void LogBatchFailed(string exceptionType);

    [LoggerMessage(Level = LogLevel.Information, Message = "Policy change notices queued for every known recipient ({Count} in total)")]
    private partial void LogRunCompleted(int count);
}
