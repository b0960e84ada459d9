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
    /// <summary>Every API scope; a grant for all of them still gives one access token per API.</summary>
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

    /// <summary>Signs <paramref name="learner"/> up (its subject id is ignored) with analytics consent and the given marketing choice, and confirms the address from the email.</summary>
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
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"Registration failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        return learner with { SubjectId = await app.ConfirmSignUpAsync(learner.Email, cancellationToken) };
    }

    /// <summary>Opens the link the sign-up sent to <paramref name="email"/>, through the stack's mail server; returns the account's id.</summary>
    public static async Task<Guid> ConfirmSignUpAsync(this DistributedApplication app, string email, CancellationToken cancellationToken)
    {
        using var mailbox = new StackMailbox(app.GetEndpoint("mail", "http"));
        return await mailbox.ConfirmSignUpAsync(app.IdentityUri(), email, cancellationToken);
    }

    /// <summary>
    /// Signs in once, as a web app does, and collects an access token for each API of <paramref name="scope"/>: the
    /// code is redeemed for the first API, and the refresh token (rotated on every use) asked for each of the others.
    /// </summary>
    public static async Task<ApiTokens> SignInAsync(
        this DistributedApplication app, string email, string password, CancellationToken cancellationToken, string scope = "openid offline_access " + AllApis)
    {
        using var browser = SignInFlow.CreateBrowser(app.IdentityUri());
        var flow = new SignInFlow(browser);
        var services = ServicesOf(scope);
        var first = await flow.SignInAsync(email, password, scope, cancellationToken, services.Count > 1 ? StackFixture.Apis[services[0]].Audience : null);
        var tokens = new Dictionary<string, string> { [services.FirstOrDefault() ?? ""] = first.AccessToken! };
        var refreshToken = first.RefreshToken;
        foreach (var service in services.Skip(1))
        {
            var next = await flow.RefreshAsync(refreshToken!, cancellationToken, StackFixture.Apis[service].Audience);
            tokens[service] = next.AccessToken ?? throw new InvalidOperationException($"No {service} token: {next.Error} {next.ErrorDescription}");
            refreshToken = next.RefreshToken;
        }

        return new ApiTokens(tokens, first.IdToken, refreshToken);
    }

    /// <summary>A service client's tokens, one client-credentials request per API of <paramref name="scope"/>.</summary>
    public static async Task<ApiTokens> ServiceTokensAsync(this DistributedApplication app, CancellationToken cancellationToken, string scope = AllApis)
    {
        var tokens = new Dictionary<string, string>();
        foreach (var service in ServicesOf(scope))
        {
            tokens[service] = await app.ServiceTokenAsync(scope, cancellationToken, StackFixture.Apis[service].Audience);
        }

        return new ApiTokens(tokens, IdToken: null, RefreshToken: null);
    }

    /// <summary>One access token by client credentials; <paramref name="resource"/> is needed when the scope names several APIs.</summary>
    public static async Task<string> ServiceTokenAsync(this DistributedApplication app, string scope, CancellationToken cancellationToken, string? resource = null)
    {
        using var http = new HttpClient { BaseAddress = app.IdentityUri() };
        var tokens = await new SignInFlow(http).TokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = ServiceClientId,
            ["client_secret"] = ServiceClientSecret,
            ["scope"] = scope,
        }, cancellationToken, resource);
        return tokens.AccessToken ?? throw new InvalidOperationException($"No service token: {tokens.Error} {tokens.ErrorDescription}");
    }

    /// <summary>The services whose API scopes <paramref name="scope"/> names, in its order.</summary>
    private static List<string> ServicesOf(string scope) =>
    [
        .. scope.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(name => StackFixture.Apis.Where(api => api.Value.Scope == name).Select(api => api.Key)),
    ];
}

/// <summary>
/// One caller's access tokens, each for one service's API (Identity issues no token that two APIs accept), and the
/// ID token and last refresh token of the sign-in when there was one.
/// </summary>
public sealed record ApiTokens(IReadOnlyDictionary<string, string> ByService, string? IdToken, string? RefreshToken)
{
    /// <summary>The access token for <paramref name="service"/>'s API (a service name of <see cref="StackFixture.Services"/>).</summary>
    public string this[string service] => ByService.TryGetValue(service, out var token)
        ? token
        : throw new InvalidOperationException($"No access token for {service}: the sign-in did not ask for its scope.");
}
