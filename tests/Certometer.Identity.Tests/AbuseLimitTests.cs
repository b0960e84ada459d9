using System.Net;
using System.Net.Http.Json;

namespace Certometer.Identity.Tests;

public sealed class AbuseLimitTests(IdentityService identity)
{
    [Fact]
    public async Task Sign_in_token_registration_and_email_confirmation_endpoints_answer_429_with_a_retry_time_once_an_address_exceeds_its_limit()
    {
        await using var limited = await identity.StartAsync(host => host
            .UseSetting("Identity:AbuseLimits:SignIn:PermitLimit", "3")
            .UseSetting("Identity:AbuseLimits:Token:PermitLimit", "3")
            .UseSetting("Identity:AbuseLimits:Registration:PermitLimit", "3")
            .UseSetting("Identity:AbuseLimits:EmailConfirmation:PermitLimit", "3"));
        using var browser = identity.Browser(limited);
        var cancellationToken = TestContext.Current.CancellationToken;

        var signIn = await StatusesAsync(4, async () =>
        {
            using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["Email"] = "a@example.test", ["Password"] = "x" });
            return await browser.PostAsync("/account/login", form, cancellationToken);
        });
        var token = await StatusesAsync(4, async () =>
        {
            using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" });
            return await browser.PostAsync("/connect/token", form, cancellationToken);
        });
        var registration = await StatusesAsync(4, () => browser.PostAsJsonAsync("/api/accounts", new { }, cancellationToken));
        // Guessing at address-change tokens is bounded like guessing at passwords.
        var confirmation = await StatusesAsync(4, () => browser.PostAsJsonAsync("/api/accounts/email-confirmations", new { }, cancellationToken));

        // The first three are answered on their merits (all are bad requests here); the fourth is not answered at all.
        signIn.Take(3).ShouldNotContain(429);
        token.Take(3).ShouldAllBe(status => status == 400);
        registration.Take(3).ShouldAllBe(status => status == 400);
        confirmation.Take(3).ShouldAllBe(status => status == 400);
        new[] { signIn[3], token[3], registration[3], confirmation[3] }.ShouldAllBe(status => status == 429);

        using var limitedResponse = await browser.PostAsJsonAsync("/api/accounts", new { }, cancellationToken);
        limitedResponse.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        limitedResponse.Headers.RetryAfter.ShouldNotBeNull();
        limitedResponse.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");

        // Reading pages and discovery is not limited.
        using var discovery = await browser.GetAsync("/.well-known/openid-configuration", cancellationToken);
        discovery.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private static async Task<List<int>> StatusesAsync(int count, Func<Task<HttpResponseMessage>> send)
    {
        var statuses = new List<int>();
        for (var i = 0; i < count; i++)
        {
            using var response = await send();
            statuses.Add((int)response.StatusCode);
        }

        return statuses;
    }
}
