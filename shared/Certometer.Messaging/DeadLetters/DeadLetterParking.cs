using System.Text;
using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Certometer.Messaging.DeadLetters;

/// <summary>
/// Replaces MassTransit's move to <c>&lt;queue&gt;_error</c> and <c>&lt;queue&gt;_skipped</c>: the message is parked in the
/// service's own database, and the broker keeps only a <see cref="MessageParked"/> record that names it by id.
/// </summary>
/// <remarks>
/// A broker queue is outside every erasure: a payload left there (a name, an address, a one-time code) would outlive
/// the subject's erasure and come back the day an operator moves it. In the service's database the same payload is
/// found and deleted by the holder's erasure, expires after <see cref="MessagingOptions.DeadLetterRetention"/>, and is
/// replayed on request. The default fault event (<c>Fault&lt;T&gt;</c>, which embeds the whole message) is not
/// published either: nothing here consumes it, and it would be one more copy.
/// </remarks>
internal sealed partial class DeadLetterParking<TDbContext>(IServiceProvider services, string queue)
    : IFilter<ExceptionReceiveContext>, IFilter<ReceiveContext>
    where TDbContext : DbContext
{
    /// <summary>The reason recorded for a message no consumer on the queue accepted.</summary>
    public const string NotConsumed = "not consumed";

    public Task Send(ExceptionReceiveContext context, IPipe<ExceptionReceiveContext> next) =>
        ParkAsync(context, context.Exception.GetType().Name);

    public Task Send(ReceiveContext context, IPipe<ReceiveContext> next) => ParkAsync(context, NotConsumed);

    public void Probe(ProbeContext context) => context.CreateFilterScope("parkDeadLetter");

    private async Task ParkAsync(ReceiveContext context, string reason)
    {
        var body = Encoding.UTF8.GetString(context.Body.GetBytes());
        var (messageId, messageType) = EnvelopeOf(body);
        var deadLetter = new DeadLetter
        {
            Id = Guid.CreateVersion7(),
            Queue = queue,
            MessageId = messageId,
            MessageType = messageType,
            Body = body,
            Reason = reason,
            ParkedAt = DateTimeOffset.UtcNow,
        };

        // Saved before anything else: if this fails the message is not acknowledged, and the broker delivers it again.
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
            db.Set<DeadLetter>().Add(deadLetter);
            await db.SaveChangesAsync(context.CancellationToken);
        }

        var logger = services.GetRequiredService<ILogger<DeadLetterParking<TDbContext>>>();
        LogParked(logger, messageId, messageType, queue, reason, deadLetter.Id);
        try
        {
            var errorQueue = await context.SendEndpointProvider.GetSendEndpoint(new Uri($"queue:{queue}_error"));
            // The pointer expires with the row it points to, so the error queue does not fill with dangling ones.
            var retention = services.GetRequiredService<IOptions<MessagingOptions>>().Value.DeadLetterRetention;
            await errorQueue.Send(
                new MessageParked(deadLetter.Id, messageId, messageType, queue, reason, deadLetter.ParkedAt),
                Pipe.Execute<SendContext>(send => send.TimeToLive = retention),
                context.CancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The parked row is the record that counts; the broker's pointer to it is a convenience for operators.
            LogPointerFailed(logger, deadLetter.Id, exception.GetType().Name);
        }
    }

    /// <summary>The id and type URNs from MassTransit's JSON envelope; a body that is not one is still parked, whole.</summary>
    internal static (Guid? MessageId, string MessageType) EnvelopeOf(string body)
    {
        try
        {
            using var envelope = JsonDocument.Parse(body);
            var root = envelope.RootElement;
            Guid? messageId = root.TryGetProperty("messageId", out var id) && id.TryGetGuid(out var parsed) ? parsed : null;
            var types = root.TryGetProperty("messageType", out var type) && type.ValueKind == JsonValueKind.Array
                ? string.Join(' ', type.EnumerateArray().Select(t => t.GetString()))
                : "unknown";
            return (messageId, types.Length <= 1000 ? types : types[..1000]);
        }
        catch (JsonException)
        {
            return (null, "unreadable");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Parked message {MessageId} ({MessageType}) from {Queue} as dead letter {DeadLetterId}: {Reason}")]
    private static partial void LogParked(ILogger logger, Guid? messageId, string messageType, string queue, string reason, Guid deadLetterId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dead letter {DeadLetterId} is parked, but its record could not be put on the error queue ({ExceptionType})")]
    private static partial void LogPointerFailed(ILogger logger, Guid deadLetterId, string exceptionType);
}

/// <summary>What the broker's <c>_error</c> queue holds of a failed message: where to find it, never what it said.</summary>
public sealed record MessageParked(Guid DeadLetterId, Guid? MessageId, string MessageType, string Queue, string Reason, DateTimeOffset ParkedAt);
