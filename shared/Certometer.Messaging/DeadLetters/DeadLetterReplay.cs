using System.Text.Json;
using System.Text.Json.Nodes;
using Certometer.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Certometer.Messaging.DeadLetters;

/// <summary>Sends the dead letters an operator asked for back to their queues, and deletes those past retention.</summary>
/// <remarks>
/// A replayed message keeps its message id and headers (a privacy command keeps its signature), so the consumer's inbox
/// still recognises it and its verification still holds. The row is deleted in the transaction that sent it; a crash
/// between the two sends it once more, which the inbox ignores.
/// </remarks>
internal sealed partial class DeadLetterReplay<TDbContext>(
    IServiceScopeFactory scopeFactory,
    IBus bus,
    IOptions<MessagingOptions> options,
    ILogger<DeadLetterReplay<TDbContext>> logger) : BackgroundService
    where TDbContext : DbContext
{
    private const int BatchSize = 20;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.DeadLetterReplayInterval);
        try
        {
            do
            {
                try
                {
                    while (await ReplayBatchAsync(stoppingToken) == BatchSize)
                    {
                    }

                    // One indexed delete per pass: cheaper than remembering when the last one ran.
                    await ExpireAsync(stoppingToken);
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    // Requests stay marked; the next tick tries again.
                    LogPassFailed(exception.GetType().Name);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<int> ReplayBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        return await db.InTransactionAsync(
            async ct =>
            {
                var requested = await db.Set<DeadLetter>()
                    .FromSql($"SELECT * FROM dead_letters WHERE replay_requested_at IS NOT NULL ORDER BY parked_at LIMIT {BatchSize} FOR UPDATE SKIP LOCKED")
                    .ToListAsync(ct);
                foreach (var deadLetter in requested)
                {
                    await ReplayAsync(db, deadLetter, ct);
                }

                await db.SaveAndCommitAsync(ct);
                return requested.Count;
            },
            cancellationToken);
    }

    private async Task ReplayAsync(TDbContext db, DeadLetter deadLetter, CancellationToken cancellationToken)
    {
        if (MessageOf(deadLetter) is not { } replay)
        {
            // Nothing to send: keep it parked for an operator to read, and stop asking.
            deadLetter.ReplayRequestedAt = null;
            LogNotReplayable(deadLetter.Id, deadLetter.MessageType);
            return;
        }

        var endpoint = await bus.GetSendEndpoint(new Uri($"queue:{deadLetter.Queue}"));
        await endpoint.Send(replay.Message, replay.Type, Pipe.Execute<SendContext>(send =>
        {
            send.MessageId = deadLetter.MessageId;
            foreach (var (name, value) in replay.Headers)
            {
                send.Headers.Set(name, value);
            }
        }), cancellationToken);
        db.Set<DeadLetter>().Remove(deadLetter);
        LogReplayed(deadLetter.Id, deadLetter.MessageId, deadLetter.Queue);
    }

    private async Task ExpireAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var retention = options.Value.DeadLetterRetention.TotalSeconds;
        await db.Database.ExecuteSqlAsync(
            $"DELETE FROM dead_letters WHERE parked_at < now() - make_interval(secs => {retention})", cancellationToken);
    }

    /// <summary>The message, its contract type and its string headers, read back from MassTransit's JSON envelope.</summary>
    private static (object Message, Type Type, IReadOnlyList<(string, string)> Headers)? MessageOf(DeadLetter deadLetter)
    {
        try
        {
            var envelope = JsonNode.Parse(deadLetter.Body);
            var urn = envelope?["messageType"]?[0]?.GetValue<string>();
            if (envelope?["message"] is not { } content || ContractType(urn) is not { } type
                || content.Deserialize(type, ReplaySerializer) is not { } message)
            {
                return null;
            }

            var headers = envelope["headers"] is JsonObject all
                ? all.Where(h => h.Value?.GetValueKind() == JsonValueKind.String).Select(h => (h.Key, h.Value!.GetValue<string>())).ToList()
                : [];
            return (message, type, headers);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static readonly JsonSerializerOptions ReplaySerializer = new(JsonSerializerDefaults.Web);

    /// <summary>The loaded type a MassTransit message URN (<c>urn:message:Namespace:Name</c>) names, or null.</summary>
    internal static Type? ContractType(string? urn)
    {
        const string prefix = "urn:message:";
        if (urn is null || !urn.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var split = urn.LastIndexOf(':');
        if (split <= prefix.Length)
        {
            return null;
        }

        var fullName = $"{urn[prefix.Length..split]}.{urn[(split + 1)..]}";
        return AppDomain.CurrentDomain.GetAssemblies()
            .Select(assembly => assembly.GetType(fullName, throwOnError: false))
            .FirstOrDefault(type => type is not null);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Replayed dead letter {DeadLetterId} (message {MessageId}) to {Queue}")]
    private partial void LogReplayed(Guid deadLetterId, Guid? messageId, string queue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dead letter {DeadLetterId} ({MessageType}) cannot be replayed: its body is not a message of a known contract")]
    private partial void LogNotReplayable(Guid deadLetterId, string messageType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dead-letter replay pass failed ({ExceptionType})")]
    private partial void LogPassFailed(string exceptionType);
}
