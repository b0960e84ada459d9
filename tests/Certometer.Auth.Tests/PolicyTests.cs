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
}
