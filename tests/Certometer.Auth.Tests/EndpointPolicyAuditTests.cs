using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;

namespace Certometer.Auth.Tests;

public sealed class EndpointPolicyAuditTests
{
    [Fact]
    public async Task A_service_with_an_endpoint_that_neither_names_a_policy_nor_allows_anonymous_access_refuses_to_start()
    {
        await using var app = Service();
        app.MapGet("/api/declared", () => "ok").RequireAuthorization(PlatformPolicies.SignedIn);
        app.MapGet("/api/forgotten", () => "oops");

        var failure = await Should.ThrowAsync<InvalidOperationException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        failure.Message.ShouldContain("/api/forgotten");
        failure.Message.ShouldNotContain("/api/declared");
    }

    [Fact]
    public async Task A_service_whose_endpoints_all_name_a_policy_or_allow_anonymous_access_on_purpose_starts()
    {
        await using var app = Service();
        app.MapGet("/api/declared", () => "ok").RequireAuthorization(PlatformPolicies.ComplianceOfficer);
        app.MapGroup("/api/public").AllowAnonymous().MapGet("/", () => "ok");

        await app.StartAsync(TestContext.Current.CancellationToken);
        await app.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public void A_service_that_does_not_name_its_token_issuer_stops_with_the_setting_to_add()
    {
        var builder = WebApplication.CreateBuilder();

        var failure = Should.Throw<InvalidOperationException>(() => builder.AddPlatformAuthentication(PlatformApi.Billing));

        failure.Message.ShouldContain("Identity:Issuer");
    }

    private static WebApplication Service()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration["Identity:Issuer"] = "http://identity.invalid/";
        builder.AddPlatformAuthentication(PlatformApi.Catalog);
        return builder.Build();
    }
}
