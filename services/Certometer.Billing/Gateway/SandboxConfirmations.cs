using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Certometer.Billing.Gateway;

/// <summary>
/// The sandbox gateway's side of asynchronous confirmation: a moment after a charge needed the cardholder's
/// confirmation, it sends Billing the signed <c>charge.succeeded</c> webhook over HTTP, and keeps retrying until Billing
/// acknowledges it — as a real gateway does, including when the webhook arrives before Billing has committed the
/// payment (Billing answers 409 and the gateway tries again).
/// </summary>
internal sealed partial class SandboxConfirmations(
    IHttpClientFactory httpClients, IOptions<GatewayOptions> options, TimeProvider clock, ILogger<SandboxConfirmations> logger) : BackgroundService
{
    private const int MaxAttempts = 10;
    private readonly Channel<string> _pending = Channel.CreateUnbounded<string>();

    /// <summary>Queues the confirmation of <paramref name="chargeReference"/>; does nothing when no webhook address is set.</summary>
    public void Confirm(string chargeReference)
    {
        if (options.Value.Sandbox.WebhookUrl is not null)
        {
            _pending.Writer.TryWrite(chargeReference);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var charge in _pending.Reader.ReadAllAsync(stoppingToken))
        {
            // One confirmation at a time is plenty for a sandbox, and keeps its order easy to follow in the logs.
            await DeliverAsync(charge, stoppingToken);
        }
    }

    private async Task DeliverAsync(string chargeReference, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await Task.Delay(settings.Sandbox.ConfirmationDelay, clock, cancellationToken);
        var body = SandboxGateway.ConfirmationEvent($"evt_{Guid.NewGuid():D}", chargeReference, approved: true);
        var http = httpClients.CreateClient(nameof(SandboxConfirmations));
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, settings.Sandbox.WebhookUrl)
                {
                    Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
                };
                // Signed afresh on every attempt, so a retry is never refused as too old.
                request.Headers.Add(WebhookSignature.HeaderName, WebhookSignature.Sign(settings.WebhookSecret!, clock.GetUtcNow(), body));
                using var response = await http.SendAsync(request, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, attempt - 1))), clock, cancellationToken);
        }

        LogGaveUp(logger, MaxAttempts);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The sandbox gateway gave up delivering a confirmation webhook after {Attempts} attempts")]
    private static partial void LogGaveUp(ILogger logger, int attempts);
}
