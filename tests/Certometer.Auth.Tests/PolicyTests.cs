using System.Net;
using System.Net.Http.Headers;
using Certometer.TestInfrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;

namespace Certometer.Auth.Tests;

public sealed class PolicyTests
{
    [Theory]
    [InlineData("learner", "catalog", "urn:certometer:catalog", HttpStatusCode.OK)]
    [InlineData("learner", "billing", "urn:certometer:catalog", HttpStatusCode.Forbidden)]
    [InlineData("learner", "catalog", "urn:certometer:billing", HttpStatusCode.Unauthorized)]
    [InlineData("service", "catalog", "urn:certometer:catalog", HttpStatusCode.Forbidden)]
    public async Task The_signed_in_policy_needs_a_person_the_API_scope_and_the_API_audience(
        string role, string scope, string audience, HttpStatusCode expected)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer().UseTestIssuer();
        builder.AddPlatformAuthentication(PlatformApi.Catalog);
        await using var app = builder.Build();
        app.UsePlatformAuthentication();
        app.MapGet("/api/mine", () => "ok").RequireAuthorization(PlatformPolicies.SignedIn);
        await app.StartAsync(TestContext.Current.CancellationToken);
        using var http = app.GetTestClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.ForPerson(Guid.NewGuid(), role, scope, audience));

        using var response = await http.GetAsync("/api/mine", TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(expected);
    }

    [Theory]
    [InlineData("Production", null, false)]
    [InlineData("Production", "mfa", true)]
    [InlineData("Development", null, true)]
    [InlineData("Development", "mfa", true)]
    public async Task Outside_Development_a_staff_policy_needs_a_token_that_says_a_second_factor_was_proven(
        string environment, string? extraMethod, bool allowed)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseTestServer().UseTestIssuer();
        builder.AddPlatformAuthentication(PlatformApi.Privacy);
        await using var app = builder.Build();
        app.UsePlatformAuthentication();
        app.MapGet("/api/queue", () => "ok").RequireAuthorization(PlatformPolicies.ComplianceOfficer);
        await app.StartAsync(TestContext.Current.CancellationToken);
        using var http = app.GetTestClient();
        string[] methods = extraMethod is null ? ["pwd"] : ["pwd", "otp", extraMethod];
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer", TestTokens.ForPerson(Guid.NewGuid(), PlatformRoles.ComplianceOfficer, "privacy", "urn:certometer:privacy", methods: methods));

        using var response = await http.GetAsync("/api/queue", TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(allowed ? HttpStatusCode.OK : HttpStatusCode.Forbidden);
    }
}
