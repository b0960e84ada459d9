using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Certometer.Messaging.Outbox;

/// <summary>Publishes committed outbox rows to the broker: claim under a lease, publish with confirm, then mark sent.</summary>
/// <remarks>
/// Several instances may run against one database: claims use <c>FOR UPDATE SKIP LOCKED</c>, so two dispatchers
/// never hold the same row. A dispatcher that dies keeps its rows only until the lease expires. A row is marked
/// sent only after the broker's confirm, so a crash between confirm and mark republishes it with the same
/// message id, which consumers' inboxes ignore. Time comparisons use the database clock, not the instances'.
/// </remarks>
internal sealed partial class OutboxDispatcher<TDbContext>(
    IServiceScopeFactory scopeFactory,
    IBusControl bus,
    IOutboxPublisher publisher,
    OutboxSignal signal,
    IEnumerable<IOutboxPayloadSealer> sealers,
    IOptions<OutboxOptions> options,
    ILogger<OutboxDispatcher<TDbContext>> logger) : BackgroundService
    where TDbContext : DbContext
{
    private readonly OutboxOptions _options = options.Value;
    private readonly IOutboxPayloadSealer? _sealer = sealers.SingleOrDefault();

    // A batch's rows are sealed at most this many at once: a seal may fetch a subject's key (a query or an HTTP
    // call), and a whole batch of them at once would take every pooled connection. Rows with nothing to seal skip it.
    private readonly SemaphoreSlim _sealing = new(8);

    /// <summary>Identifies this dispatcher's leases; unique per instance even inside one process.</summary>
    internal string Owner { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    public override void Dispose()
    {
        _sealing.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // RabbitMQ drops a message published to an exchange no queue is bound to yet. Publishing only once this
        // service's own receive endpoints are bound means a request/answer pair between two freshly started
        // services always has at least one side listening (see PersonalDataInventoryRequested). Only the first
        // pass waits: afterwards publish failures and back-off handle outages, and a degraded consumer never
        // holds up publishing.
        try
        {
            await bus.WaitForHealthStatus(BusHealthStatus.Healthy, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var nextCleanup = DateTimeOffset.UtcNow;
        var consecutiveFailures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var claimed = 0;
            try
            {
                claimed = await DispatchBatchAsync(stoppingToken);
                if (DateTimeOffset.UtcNow >= nextCleanup)
                {
                    await CleanUpAsync(stoppingToken);
                    nextCleanup = DateTimeOffset.UtcNow + _options.CleanupInterval;
                }

                consecutiveFailures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                // The database itself is unreachable; nothing is lost (rows stay unsent), so wait and try again.
                consecutiveFailures++;
                LogDispatchFailed(exception.GetType().Name, consecutiveFailures);
                await Task.Delay(Backoff(consecutiveFailures), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }

            if (claimed < _options.BatchSize)
            {
                try
                {
                    await signal.WaitAsync(_options.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    /// <summary>Claims up to one batch of due rows and publishes them; returns how many were claimed.</summary>
    /// <remarks>
    /// The batch's publishes are in flight together, started in the order the rows were staged: each waits for its
    /// own confirm, and the broker confirms a stream of them as fast as one. One at a time, every row waited a full
    /// confirm and its own UPDATE, and a busy service's outbox fell seconds behind its commits. Consumers never
    /// relied on order (they run up to the prefetch count at once); each row still succeeds, fails and retries alone.
    /// </remarks>
    internal async Task<int> DispatchBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();

        var claimed = await ClaimAsync(db, cancellationToken);
        var outcomes = await Task.WhenAll(claimed.OrderBy(row => row.OccurredAt).Select(row => PublishOneAsync(row, cancellationToken)));

        await MarkSentAsync(db, [.. outcomes.Where(outcome => outcome.Kind == PublishOutcomeKind.Published)]);
        foreach (var outcome in outcomes.Where(outcome => outcome.Kind == PublishOutcomeKind.Withheld))
        {
            await WithholdAsync(db, outcome.Row, cancellationToken);
        }

        foreach (var outcome in outcomes.Where(outcome => outcome.Kind == PublishOutcomeKind.Failed))
        {
            var delay = Backoff(outcome.Row.Attempts);
            LogPublishFailed(outcome.Row.Id, outcome.Row.MessageType, outcome.Row.Attempts, outcome.Error!.GetType().Name, delay);
            await ScheduleRetryAsync(db, outcome.Row.Id, delay, Describe(outcome.Error), cancellationToken);
        }

        if (outcomes.Where(outcome => outcome.Kind == PublishOutcomeKind.Interrupted).Select(outcome => outcome.Row.Id).ToArray() is { Length: > 0 } interrupted)
        {
            // Shutting down: hand unpublished rows back now rather than making the next instance wait out the lease.
            await ReleaseAsync(db, interrupted);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return claimed.Count;
    }

    /// <summary>Seals, publishes and waits for the confirm of one row; never throws, so one row's failure leaves the rest of the batch alone.</summary>
    private async Task<PublishOutcome> PublishOneAsync(ClaimedOutboxMessage row, CancellationToken cancellationToken)
    {
        try
        {
            var messageType = Type.GetType(row.MessageType, throwOnError: true)!;
            var payload = await SealAsync(messageType, row.Payload, cancellationToken);
            if (payload is null)
            {
                return new PublishOutcome(row, PublishOutcomeKind.Withheld);
            }

            var message = JsonSerializer.Deserialize(payload, messageType, IntegrationEvents.SerializerOptions)
                ?? throw new JsonException("The outbox payload is the JSON literal null.");

            using var publishTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            publishTimeout.CancelAfter(_options.PublishTimeout);
            await publisher.PublishAsync(row.Id, message, messageType, publishTimeout.Token);
            // The row keeps what was published: once sealed, the plain text staged with the change is gone from it.
            return new PublishOutcome(row, PublishOutcomeKind.Published, SealedPayload: ReferenceEquals(payload, row.Payload) ? null : payload);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            return new PublishOutcome(row, PublishOutcomeKind.Interrupted);
        }
        catch (Exception exception)
        {
            return new PublishOutcome(row, PublishOutcomeKind.Failed, Error: exception);
        }
    }

    private async ValueTask<string?> SealAsync(Type messageType, string payload, CancellationToken cancellationToken)
    {
        if (_sealer is null)
        {
            return payload;
        }

        // A row with nothing to seal completes synchronously and hands the slot straight back.
        await _sealing.WaitAsync(cancellationToken);
        try
        {
            return await _sealer.SealAsync(messageType, payload, cancellationToken);
        }
        finally
        {
            _sealing.Release();
        }
    }

    /// <summary>One statement for every confirmed row of the batch; not cancellable, since the broker already has them.</summary>
    private async Task MarkSentAsync(TDbContext db, PublishOutcome[] published)
    {
        if (published.Length == 0)
        {
            return;
        }

        var ids = published.Select(outcome => outcome.Row.Id).ToArray();
        var sealedPayloads = published.Select(outcome => outcome.SealedPayload).ToArray();
        var forget = published.Select(outcome => _options.PayloadsForgottenOnceSent.Contains(outcome.Row.MessageType)).ToArray();
        var marked = await db.Database.SqlQuery<Guid>(
            $"""
            UPDATE outbox_messages AS o
            SET sent_at = now(), lease_owner = NULL, lease_expires_at = NULL, last_error = NULL,
                payload = CASE WHEN sent.forget OR o.forget_payload_once_sent THEN jsonb_build_object()
                               ELSE coalesce(sent.sealed_payload::jsonb, o.payload) END,
                -- An emptied row must not go on naming whom it was about.
                mentions = CASE WHEN sent.forget OR o.forget_payload_once_sent THEN ARRAY[]::uuid[] ELSE o.mentions END
            FROM unnest({ids}::uuid[], {sealedPayloads}::text[], {forget}::boolean[]) AS sent(id, sealed_payload, forget)
            WHERE o.id = sent.id AND o.lease_owner = {Owner}
            RETURNING o.id AS "Value"
            """).ToListAsync(CancellationToken.None);
        foreach (var lost in ids.Except(marked))
        {
            // Our lease expired mid-publish and another dispatcher took the row: it will publish it again
            // under the same message id, and consumers' inboxes discard the duplicate.
            LogLeaseLost(lost);
        }
    }

    /// <summary>
    /// A message whose subject's key is gone is never published: it would be unreadable to every consumer, and its
    /// plain payload must not stay behind either. The row is closed as sent, emptied of its payload and of the ids it named.
    /// </summary>
    private async Task WithholdAsync(TDbContext db, ClaimedOutboxMessage row, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlAsync(
            $"""
            UPDATE outbox_messages
            SET sent_at = now(), lease_owner = NULL, lease_expires_at = NULL, last_error = 'withheld: the subject''s key is destroyed',
                payload = jsonb_build_object(), mentions = ARRAY[]::uuid[]
            WHERE id = {row.Id} AND lease_owner = {Owner}
            """,
            cancellationToken);
        LogWithheld(row.Id, row.MessageType);
    }

    private Task<List<ClaimedOutboxMessage>> ClaimAsync(TDbContext db, CancellationToken cancellationToken)
    {
        var leaseSeconds = _options.LeaseDuration.TotalSeconds;
        return db.Database.SqlQuery<ClaimedOutboxMessage>(
            $"""
            UPDATE outbox_messages
            SET lease_owner = {Owner},
                lease_expires_at = now() + make_interval(secs => {leaseSeconds}),
                attempts = attempts + 1
            WHERE id IN (
                SELECT id FROM outbox_messages
                WHERE sent_at IS NULL
                  AND available_at <= now()
                  AND (lease_expires_at IS NULL OR lease_expires_at < now())
                ORDER BY available_at, occurred_at
                LIMIT {_options.BatchSize}
                FOR UPDATE SKIP LOCKED)
            RETURNING id, message_type, payload, occurred_at, attempts
            """).ToListAsync(cancellationToken);
    }

    private Task<int> ScheduleRetryAsync(TDbContext db, Guid id, TimeSpan delay, string error, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync(
            $"""
            UPDATE outbox_messages
            SET lease_owner = NULL, lease_expires_at = NULL, last_error = {error},
                available_at = now() + make_interval(secs => {delay.TotalSeconds})
            WHERE id = {id} AND lease_owner = {Owner}
            """,
            cancellationToken);

    private async Task ReleaseAsync(TDbContext db, Guid[] ids)
    {
        try
        {
            await db.Database.ExecuteSqlAsync(
                $"""
                UPDATE outbox_messages SET lease_owner = NULL, lease_expires_at = NULL
                WHERE id = ANY({ids}) AND lease_owner = {Owner} AND sent_at IS NULL
                """,
                CancellationToken.None);
        }
        catch (Exception exception)
        {
            // The leases will expire on their own; this was only a courtesy to the next dispatcher.
            LogReleaseFailed(exception.GetType().Name, ids.Length);
        }
    }

    private async Task CleanUpAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var sentRetention = _options.SentRetention.TotalSeconds;
        var inboxRetention = _options.InboxRetention.TotalSeconds;
        await db.Database.ExecuteSqlAsync(
            $"DELETE FROM outbox_messages WHERE sent_at < now() - make_interval(secs => {sentRetention})",
            cancellationToken);
        await db.Database.ExecuteSqlAsync(
            $"DELETE FROM inbox_messages WHERE processed_at < now() - make_interval(secs => {inboxRetention})",
            cancellationToken);
    }

    private TimeSpan Backoff(int attempts)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 20);
        var delay = _options.FirstRetryDelay * Math.Pow(2, exponent);
        var capped = delay < _options.MaxRetryDelay ? delay : _options.MaxRetryDelay;
        // Jitter keeps a fleet of dispatchers from retrying a recovering broker in lockstep.
        return capped * (0.8 + (Random.Shared.NextDouble() * 0.4));
    }

    // Only the exception's type and the transport's own text: a payload never reaches the table's error column or logs.
    private static string Describe(Exception exception)
    {
        var text = $"{exception.GetType().Name}: {exception.Message}";
        return text.Length <= 2000 ? text : text[..2000];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox dispatch pass failed ({ExceptionType}), consecutive failures: {Failures}")]
    private partial void LogDispatchFailed(string exceptionType, int failures);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing outbox message {MessageId} of type {MessageType} failed on attempt {Attempt} ({ExceptionType}); retrying in {Delay}")]
    private partial void LogPublishFailed(Guid messageId, string messageType, int attempt, string exceptionType, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox message {MessageId} was published after its lease expired; another dispatcher will republish it and inboxes will discard the duplicate")]
    private partial void LogLeaseLost(Guid messageId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox message {MessageId} of type {MessageType} was withheld and emptied: its subject was erased and their key destroyed")]
    private partial void LogWithheld(Guid messageId, string messageType);

    [LoggerMessage(Level = LogLevel.Information, Message = "Could not release {Count} outbox leases on shutdown ({ExceptionType}); they expire on their own")]
    private partial void LogReleaseFailed(string exceptionType, int count);
}

/// <summary>The columns the dispatcher needs from a claimed outbox row.</summary>
internal sealed record ClaimedOutboxMessage(Guid Id, string MessageType, string Payload, DateTimeOffset OccurredAt, int Attempts);

internal enum PublishOutcomeKind
{
    Published,

    /// <summary>Its subject's key is destroyed: closed unpublished, emptied.</summary>
    Withheld,

    Failed,

    /// <summary>The dispatcher is stopping; the row goes back unpublished.</summary>
    Interrupted,
}

/// <summary>What became of one claimed row; <see cref="SealedPayload"/> is set only when sealing changed the payload.</summary>
internal sealed record PublishOutcome(ClaimedOutboxMessage Row, PublishOutcomeKind Kind, string? SealedPayload = null, Exception? Error = null);
