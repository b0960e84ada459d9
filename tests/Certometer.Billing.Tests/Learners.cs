using System.Net;
using System.Net.Http.Json;
using Certometer.Billing.Gateway;
using Certometer.Billing.Orders;
using Certometer.Billing.Payments;

namespace Certometer.Billing.Tests;

/// <summary>A learner with a client of their own and billing details nobody else has, so they can be searched for.</summary>
public sealed class Learner : IDisposable
{
    private readonly BillingService _billing;

    public Learner(BillingService billing)
    {
        _billing = billing;
        Client = billing.ClientFor(SubjectId);
    }

    public HttpClient Client { get; }

    public const string SucceedingCard = "4242424242424242";
    public const string DeclinedCard = "4000000000000002";
    public const string InsufficientFundsCard = "4000000000009995";
    public const string ConfirmationCard = "4000000000003220";

    public Guid SubjectId { get; } = Guid.NewGuid();

    public BillingDetailsDto Details { get; } = NewDetails();

    public static BillingDetailsDto NewDetails(string country = "DE")
    {
        var unique = Guid.NewGuid().ToString("N")[..10];
        return new BillingDetailsDto(
            $"Erika Mustermann {unique}",
            new BillingAddressDto($"Hauptstrasse {unique}", "Hinterhaus", $"Berlin{unique}", null, $"PLZ{unique}", country));
    }

    public async Task<OrderResponse> OrderAsync(Guid courseId, string? key = null, BillingDetailsDto? details = null)
    {
        using var response = await PostOrderAsync(courseId, key ?? Guid.NewGuid().ToString(), details ?? Details);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<OrderResponse>())!;
    }

    public Task<HttpResponseMessage> PostOrderAsync(Guid courseId, string? key, BillingDetailsDto? details)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/billing/orders")
        {
            Content = JsonContent.Create(new CreateOrderRequest(courseId, details)),
        };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>Tokenizes a card with the sandbox gateway, as the learner's browser would; Billing never sees the number.</summary>
    public async Task<string> TokenizeAsync(string cardNumber)
    {
        using var anonymous = _billing.Factory.CreateClient();
        using var response = await anonymous.PostAsJsonAsync(
            "/sandbox-gateway/tokens",
            new SandboxCardRequest(cardNumber, 12, DateTime.UtcNow.Year + 2, "123"),
            TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<SandboxTokenResponse>())!.Token;
    }

    public async Task<HttpResponseMessage> PayAsync(Guid orderId, string cardNumber) =>
        await PayWithTokenAsync(orderId, await TokenizeAsync(cardNumber));

    public Task<HttpResponseMessage> PayWithTokenAsync(Guid orderId, string token) =>
        Client.PostAsJsonAsync($"/api/billing/orders/{orderId}/payments", new PayOrderRequest(token), TestContext.Current.CancellationToken);

    /// <summary>Orders a course and pays it with a card that succeeds.</summary>
    public async Task<PaymentResponse> BuyAsync(Guid courseId)
    {
        var order = await OrderAsync(courseId);
        using var paid = await PayAsync(order.Id, SucceedingCard);
        paid.StatusCode.ShouldBe(HttpStatusCode.OK, await paid.Content.ReadAsStringAsync());
        return (await paid.Content.ReadFromJsonAsync<PaymentResponse>())!;
    }

    public async Task<OrderResponse> GetOrderAsync(Guid orderId) =>
        (await Client.GetFromJsonAsync<OrderResponse>($"/api/billing/me/orders/{orderId}", TestContext.Current.CancellationToken))!;

    public void Dispose() => Client.Dispose();
}
