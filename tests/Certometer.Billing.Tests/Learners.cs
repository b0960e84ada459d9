using System.Net;
using System.Net.Http.Json;
using Certometer.Billing.Orders;
using Certometer.Billing.Payments;
using Certometer.TestInfrastructure;

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

    public Task<HttpResponseMessage> PostOrderAsync(Guid courseId, string? key, BillingDetailsDto? details) =>
        SandboxCheckout.PostOrderAsync(Client, new CreateOrderRequest(courseId, details), key, TestContext.Current.CancellationToken);

    /// <summary>Tokenizes a card with the sandbox gateway, anonymously, as the learner's browser would; Billing never sees the number.</summary>
    public async Task<string> TokenizeAsync(string cardNumber)
    {
        using var anonymous = _billing.Factory.CreateClient();
        return await SandboxCheckout.TokenizeAsync(anonymous, cardNumber, TestContext.Current.CancellationToken);
    }

    public async Task<HttpResponseMessage> PayAsync(Guid orderId, string cardNumber) =>
        await PayWithTokenAsync(orderId, await TokenizeAsync(cardNumber));

    public Task<HttpResponseMessage> PayWithTokenAsync(Guid orderId, string token) =>
        SandboxCheckout.PayAsync(Client, orderId, token, TestContext.Current.CancellationToken);

    /// <summary>Orders a course and pays it with a card that succeeds.</summary>
    public async Task<PaymentResponse> BuyAsync(Guid courseId)
    {
        var order = await OrderAsync(courseId);
        using var paid = await PayAsync(order.Id, SandboxCheckout.SucceedingCard);
        paid.StatusCode.ShouldBe(HttpStatusCode.OK, await paid.Content.ReadAsStringAsync());
        return (await paid.Content.ReadFromJsonAsync<PaymentResponse>())!;
    }

    public async Task<OrderResponse> GetOrderAsync(Guid orderId) =>
        (await Client.GetFromJsonAsync<OrderResponse>($"/api/billing/me/orders/{orderId}", TestContext.Current.CancellationToken))!;

    public void Dispose() => Client.Dispose();
}
