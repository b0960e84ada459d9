using System.Net;
using System.Net.Http.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Certometer.TestInfrastructure;

namespace Certometer.EndToEnd.Tests;

/// <summary>A learner the test registered, with values unique to the test so they can be searched for.</summary>
public sealed record Learner(Guid SubjectId, string Name, string Email, string Password, string Phone);

/// <summary>Gets real accounts and tokens from the running Identity service, the way apps and services do.</summary>
public static class Accounts
{
    /// <summary>Every API scope: one token that every service's API accepts (one audience each).</summary>
    public const string AllApis = "account catalog billing notifications analytics privacy";

    // The local stack's seeded staff and service client (Identity's appsettings.Development.json; see the README).
    public const string ComplianceEmail = "compliance@certometer.local";
    public const string CompliancePassword = "local-compliance-password";
    public const string OperatorEmail = "operator@certometer.local";
    public const string OperatorPassword = "local-operator-password";
    public const string ServiceClientId = "end-to-end-service-client";
    public const string ServiceClientSecret = "end-to-end-tests-only-service-secret";

    public static Uri IdentityUri(this DistributedApplication app) => app.GetEndpoint("identity", "http");

    public static Task<Learner> RegisterLearnerAsync(this DistributedApplication app, CancellationToken cancellationToken)
    {
        var marker = Guid.NewGuid().ToString("N")[..12];
        return app.RegisterLearnerAsync(
            new Learner(Guid.Empty, $"Learner {marker}", $"learner.{marker}@example.test", $"passphrase-{marker}", $"+49 30 {Random.Shared.Next(1_000_000, 9_999_999)}"),
            marketing: false,
            cancellationToken);
    }

    /// <summary>Signs <paramref name="learner"/> up (its subject id is ignored) with analytics consent and the given marketing choice.</summary>
    public static async Task<Learner> RegisterLearnerAsync(this DistributedApplication app, Learner learner, bool marketing, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = app.IdentityUri() };
        using var response = await http.PostAsJsonAsync("/api/accounts", new
        {
            name = learner.Name,
            email = learner.Email,
            password = learner.Password,
            phone = learner.Phone,
            marketingConsent = marketing,
            analyticsConsent = true,
        }, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"Registration failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        var created = await response.Content.ReadFromJsonAsync<Registered>(cancellationToken);
        return learner with { SubjectId = created!.SubjectId };
    }

    public static async Task<TokenResponse> SignInAsync(
        this DistributedApplication app, string email, string password, CancellationToken cancellationToken, string scope = "openid offline_access " + AllApis)
    {
        using var browser = SignInFlow.CreateBrowser(app.IdentityUri());
        return await new SignInFlow(browser).SignInAsync(email, password, scope, cancellationToken);
    }

    public static async Task<string> ServiceTokenAsync(this DistributedApplication app, CancellationToken cancellationToken, string scope = AllApis)
    {
        using var http = new HttpClient { BaseAddress = app.IdentityUri() };
        var tokens = await new SignInFlow(http).TokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = ServiceClientId,
            ["client_secret"] = ServiceClientSecret,
            ["scope"] = scope,
        }, cancellationToken);
        return tokens.AccessToken ?? throw new InvalidOperationException($"No service token: {tokens.Error} {tokens.ErrorDescription}");
    }

    private sealed record Registered(Guid SubjectId);
}
