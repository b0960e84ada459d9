using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Certometer.PrivacyRights.Portability;

/// <summary>How a delivery ended.</summary>
public enum DeliveryStatus
{
    /// <summary>The receiver answered 2xx.</summary>
    Delivered,
    /// <summary>The target was not allowed (before any work, or at connect time); nothing was sent.</summary>
    Refused,
    /// <summary>The receiver answered 3xx; redirects are never followed, since one could point anywhere.</summary>
    Redirected,
    /// <summary>The receiver answered 4xx or 5xx (after any retries).</summary>
    Rejected,
    /// <summary>No answer: the host did not resolve, the connection or TLS failed, or the connection broke.</summary>
    Unreachable,
    TimedOut,
}

/// <summary>
/// The result of one delivery. <see cref="Detail"/> is safe to show the requester and to log: it never holds the
/// package, the target's path or query, or the receiver's answer.
/// </summary>
public sealed record DeliveryOutcome(
    DeliveryStatus Status,
    string Detail,
    int? ReceiverStatusCode = null,
    TargetRefusal? Refusal = null,
    ReadOnlyMemory<byte> ReceiverResponse = default,
    bool ReceiverResponseTruncated = false)
{
    public bool Succeeded => Status == DeliveryStatus.Delivered;
}

/// <summary>Delivers a portability package to another organisation's HTTPS endpoint without letting the target reach inside our network.</summary>
public sealed partial class PortabilityDelivery(
    IHttpClientFactory clients,
    DeliveryTargetPolicy targets,
    IOptions<PortabilityDeliveryOptions> options,
    ILogger<PortabilityDelivery> logger)
{
    /// <summary>The named client whose handler vets every connection; <see cref="PortabilityRegistration"/> configures it.</summary>
    public const string HttpClientName = "PortabilityDelivery";

    /// <summary>
    /// POSTs <paramref name="packageJson"/> to <paramref name="target"/> with <paramref name="requestId"/> as its
    /// Idempotency-Key, so the receiver can drop the copies a retry may send. Failures come back as an outcome; only
    /// the caller's own cancellation throws.
    /// </summary>
    public async Task<DeliveryOutcome> DeliverAsync(Uri target, ReadOnlyMemory<byte> packageJson, string requestId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var idempotencyKey = IdempotencyKeyOf(requestId);

        if (targets.Check(target) is { } refusal)
        {
            LogRefused(requestId, refusal.Reason);
            return new(DeliveryStatus.Refused, refusal.Detail, Refusal: refusal);
        }

        var settings = options.Value;
        var host = target.IdnHost;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.Timeout);

        using var request = new HttpRequestMessage(HttpMethod.Post, target)
        {
            // HTTP/3 would run over QUIC, which never passes through the vetted ConnectCallback; 2 and 1.1 always do.
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            Content = new ReadOnlyMemoryContent(packageJson),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);

        try
        {
            using var response = await clients.CreateClient(HttpClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var statusCode = (int)response.StatusCode;
            ReadOnlyMemory<byte> answer = default;
            var truncated = true;
            try
            {
                (answer, truncated) = await ReadBoundedAsync(response.Content, settings.MaxResponseBytes, deadline.Token);
            }
            catch (Exception cut) when (cut is IOException or HttpRequestException
                || (cut is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // The status line already said whether the package was taken; a body cut short changes nothing about that.
            }

            var outcome = statusCode switch
            {
                >= 200 and < 300 => new DeliveryOutcome(DeliveryStatus.Delivered, $"The receiver accepted the package ({statusCode}).", statusCode, null, answer, truncated),
                >= 300 and < 400 => new DeliveryOutcome(DeliveryStatus.Redirected, $"The receiver answered a redirect ({statusCode}), which is never followed; ask the receiver for its final address.", statusCode, null, answer, truncated),
                _ => new DeliveryOutcome(DeliveryStatus.Rejected, $"The receiver refused the package ({statusCode}).", statusCode, null, answer, truncated),
            };
            LogAnswered(requestId, host, outcome.Status, statusCode);
            return outcome;
        }
        catch (HttpRequestException failure) when (failure.InnerException is DestinationRefusedException refused)
        {
            LogRefused(requestId, refused.Refusal.Reason);
            return new(DeliveryStatus.Refused, refused.Refusal.Detail, Refusal: refused.Refusal);
        }
        catch (HttpRequestException failure)
        {
            LogUnreachable(requestId, host, failure.HttpRequestError);
            return new(DeliveryStatus.Unreachable, Unreachable(failure));
        }
        catch (Exception failure) when (IsAttemptTimeout(failure)
            || (failure is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogTimedOut(requestId, host);
            return new(DeliveryStatus.TimedOut, "The receiver did not answer in time.");
        }
    }

    /// <summary>
    /// The header value: an RFC 8941 string, as draft-ietf-httpapi-idempotency-key-header defines it
    /// (<c>Idempotency-Key: "…"</c>).
    /// </summary>
    internal static string IdempotencyKeyOf(string requestId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(requestId);
        if (requestId.Length > 255 || requestId.Any(c => c is < ' ' or > '~'))
        {
            throw new ArgumentException("A request id must be at most 255 printable ASCII characters.", nameof(requestId));
        }

        return $"\"{requestId.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
    }

    // A receiver decides how much it sends; we decide how much we read, and a longer answer is cut, never buffered.
    private static async Task<(ReadOnlyMemory<byte> Answer, bool Truncated)> ReadBoundedAsync(HttpContent content, int limit, CancellationToken cancellationToken)
    {
        var buffer = new byte[(int)Math.Min(limit, content.Headers.ContentLength ?? limit)];
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken);
            if (read == 0)
            {
                return (buffer.AsMemory(0, filled), false);
            }

            filled += read;
        }

        var more = await stream.ReadAsync(new byte[1], cancellationToken) > 0;
        return (buffer, more);
    }

    // Matched by name: OpenIddict brings Polly 7 alongside the resilience handler's Polly 8, and both define this
    // type in the same namespace, so the compiler cannot name it.
    private static bool IsAttemptTimeout(Exception failure) =>
        failure.GetType().FullName == "Polly.Timeout.TimeoutRejectedException";

    private static string Unreachable(HttpRequestException failure) => failure switch
    {
        { HttpRequestError: HttpRequestError.NameResolutionError }
            or { InnerException: SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData } } =>
            "The target's host name does not resolve.",
        { HttpRequestError: HttpRequestError.SecureConnectionError } =>
            "No trusted TLS connection could be made to the target (certificate or protocol).",
        { HttpRequestError: HttpRequestError.ConnectionError } => "The target could not be connected to.",
        _ => "The connection to the target broke before it answered.",
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Portability delivery for request {RequestId} refused: {Reason}")]
    private partial void LogRefused(string requestId, TargetRefusalReason reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Portability delivery for request {RequestId} to {TargetHost}: {Status} ({StatusCode})")]
    private partial void LogAnswered(string requestId, string targetHost, DeliveryStatus status, int statusCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Portability delivery for request {RequestId} to {TargetHost} could not reach it: {Error}")]
    private partial void LogUnreachable(string requestId, string targetHost, HttpRequestError error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Portability delivery for request {RequestId} to {TargetHost} timed out")]
    private partial void LogTimedOut(string requestId, string targetHost);
}
