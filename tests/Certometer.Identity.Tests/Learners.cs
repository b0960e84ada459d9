using Certometer.Identity.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.Http.Json;
using Certometer.TestInfrastructure;

namespace Certometer.Identity.Tests;

/// <summary>A learner registered through the real endpoint, with values unique to the test.</summary>
public sealed record TestLearner(Guid SubjectId, string Name, string Email, string Password, string Phone);

internal static class Learners
{
    public const string Scopes = "openid offline_access account";

    public static object Registration(string marker, string? email = null, string? password = null) => new
    {
        name = $"Learner {marker}",
        email = email ?? $"learner.{marker}@example.test",
        password = password ?? $"passphrase-{marker}",
        phone = "+44 20 7946 0958",
        mailingAddress = new { line1 = "1 Test Street", city = "London", postalCode = "N1 9GU", country = "gb" },
        company = "Example Ltd",
        jobRole = "Engineer",
        teamSize = "11-50",
        businessType = "Consulting",
        preferredLanguage = "en-GB",
        marketingConsent = false,
        analyticsConsent = true,
    };

    /// <summary>Signs a learner up and confirms the address through the confirmation endpoint, as the emailed link would.</summary>
    /// <remarks>
    /// The token is made the way Identity makes the emailed one, rather than read from the email: these tests run no
    /// Notifications. <c>SignUpTests</c> follows the published link itself.
    /// </remarks>
    public static async Task<TestLearner> RegisterAsync(this IdentityService identity, WebApplicationFactory<Program>? host = null)
    {
        var marker = Guid.NewGuid().ToString("N")[..12];
        var email = $"learner.{marker}@example.test";
        var factory = host ?? identity.Factory;
        using var http = factory.CreateClient();
        using (var response = await http.PostAsJsonAsync("/api/accounts", Registration(marker), TestContext.Current.CancellationToken))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        var link = await WaitingLinkAsync(factory, email);
        using (var confirmed = await http.PostAsJsonAsync("/api/accounts/email-confirmations", link.Body, TestContext.Current.CancellationToken))
        {
            confirmed.StatusCode.ShouldBe(HttpStatusCode.NoContent, await confirmed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        return new TestLearner(link.SubjectId, $"Learner {marker}", email, $"passphrase-{marker}", "+44 20 7946 0958");
    }

    /// <summary>A valid confirmation link for the sign-up waiting on <paramref name="email"/>.</summary>
    public static async Task<ConfirmationLink> WaitingLinkAsync(WebApplicationFactory<Program> host, string email)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<UserManager<Account>>();
        var account = await accounts.FindByEmailAsync(email) ?? throw new InvalidOperationException($"No sign-up waits on {email}.");
        account.EmailConfirmed.ShouldBeFalse();
        return new ConfirmationLink(account.Id, await accounts.GenerateEmailConfirmationTokenAsync(account));
    }

    public static async Task<(SignInFlow Flow, TokenResponse Tokens, HttpClient Browser)> SignInAsync(this IdentityService identity, TestLearner learner)
    {
        var browser = identity.Browser();
        var flow = new SignInFlow(browser);
        var tokens = await flow.SignInAsync(learner.Email, learner.Password, Scopes, TestContext.Current.CancellationToken);
        return (flow, tokens, browser);
    }
}
