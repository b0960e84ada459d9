using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shouldly;

namespace Certometer.TestInfrastructure;

/// <summary>
/// Buying a course from Billing over HTTP the way the apps do: an order under an <c>Idempotency-Key</c>, a card tokenized
/// with the sandbox gateway (as the learner's browser would: Billing never sees the number), then the payment.
/// </summary>
public static class SandboxCheckout
{
    // The sandbox gateway's test cards (Billing's SandboxGateway; see the README).
    public const string SucceedingCard = "4242424242424242";
    public const string DeclinedCard = "4000000000000002";
    public const string InsufficientFundsCard = "4000000000009995";
    public const string ConfirmationCard = "4000000000003220";

    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>Posts <paramref name="order"/> (course and billing details, as the API takes them); no header when <paramref name="idempotencyKey"/> is null.</summary>
    public static async Task<HttpResponseMessage> PostOrderAsync(HttpClient billing, object order, string? idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(billing);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/billing/orders") { Content = JsonContent.Create(order) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add(IdempotencyKeyHeader, idempotencyKey);
        }

        return await billing.SendAsync(request, cancellationToken);
    }

    /// <summary>Tokenizes <paramref name="cardNumber"/> with the sandbox gateway and returns the card token; fails the test if it is refused.</summary>
    public static async Task<string> TokenizeAsync(HttpClient gateway, string cardNumber, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        using var response = await gateway.PostAsJsonAsync(
            "/sandbox-gateway/tokens",
            new { number = cardNumber, expiryMonth = 12, expiryYear = DateTime.UtcNow.Year + 2, cvc = "123" },
            cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("token").GetString()!;
    }

    /// <summary>Pays <paramref name="orderId"/> with a card token; the answer is the caller's to check (200 paid, 202 awaiting confirmation, 402 declined).</summary>
    public static Task<HttpResponseMessage> PayAsync(HttpClient billing, Guid orderId, string cardToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(billing);
        return billing.PostAsJsonAsync($"/api/billing/orders/{orderId}/payments", new { cardToken }, cancellationToken);
    }
}
