using System.Net;
using System.Net.Http.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Certometer.TestInfrastructure;

namespace Certometer.Bench;

/// <summary>Real accounts and tokens from the stack's Identity service, through sign-up and the code flow with PKCE.</summary>
internal static class StackAccounts
{
    // The local stack's seeded compliance officer (Identity's appsettings.Development.json; see the README).
    public const string ComplianceEmail = "compliance@certometer.local";
    public const string CompliancePassword = "local-compliance-password";

    /// <summary>Signs up a learner with made-up, unique details, confirms the address from the email, and returns their access token for the privacy API.</summary>
    public static async Task<string> RegisterAndSignInLearnerAsync(DistributedApplication app, CancellationToken cancellationToken)
    {
        var marker = Guid.NewGuid().ToString("N")[..12];
        var email = $"bench.{marker}@example.test";
        var password = $"passphrase-{marker}";
        using (var http = new HttpClient { BaseAddress = app.GetEndpoint("identity", "http") })
        {
            using var response = await http.PostAsJsonAsync("/api/accounts", new
            {
                name = $"Bench {marker}",
                email,
                password,
                phone = $"+49 30 {Random.Shared.Next(1_000_000, 9_999_999)}",
                marketingConsent = false,
                analyticsConsent = true,
            }, cancellationToken);
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                throw new InvalidOperationException($"Registration failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }
        }

        using (var mailbox = new StackMailbox(app.GetEndpoint("mail", "http")))
        {
            await mailbox.ConfirmSignUpAsync(app.GetEndpoint("identity", "http"), email, cancellationToken);
        }

        return await SignInAsync(app, email, password, cancellationToken);
    }

    public static async Task<string> SignInAsync(DistributedApplication app, string email, string password, CancellationToken cancellationToken)
    {
        using var browser = SignInFlow.CreateBrowser(app.GetEndpoint("identity", "http"));
        var tokens = await new SignInFlow(browser).SignInAsync(email, password, "openid privacy", cancellationToken);
        return tokens.AccessToken!;
    }
}
