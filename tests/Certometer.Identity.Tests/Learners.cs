using Microsoft.AspNetCore.Mvc.Testing;
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

    public static async Task<TestLearner> RegisterAsync(this IdentityService identity, WebApplicationFactory<Program>? host = null)
    {
        var marker = Guid.NewGuid().ToString("N")[..12];
        using var http = (host ?? identity.Factory).CreateClient();
        using var response = await http.PostAsJsonAsync("/api/accounts", Registration(marker), TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var created = await response.Content.ReadFromJsonAsync<Created>(TestContext.Current.CancellationToken);
        return new TestLearner(created!.SubjectId, $"Learner {marker}", $"learner.{marker}@example.test", $"passphrase-{marker}", "+44 20 7946 0958");
    }

    public static async Task<(SignInFlow Flow, TokenResponse Tokens, HttpClient Browser)> SignInAsync(this IdentityService identity, TestLearner learner)
    {
        var browser = identity.Browser();
        var flow = new SignInFlow(browser);
        var tokens = await flow.SignInAsync(learner.Email, learner.Password, Scopes, TestContext.Current.CancellationToken);
        return (flow, tokens, browser);
    }

    private sealed record Created(Guid SubjectId);
}
