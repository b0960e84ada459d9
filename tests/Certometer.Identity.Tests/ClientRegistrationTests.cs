using Certometer.Identity.Tokens;
using Certometer.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Certometer.Identity.Tests;

/// <summary>Configuration is the only register of clients: one taken out of it stops working at the next start.</summary>
public sealed class ClientRegistrationTests(IdentityService identity)
{
    private const string RetiredClient = "retired-partner-app";
    private const string RetiredSecret = "retired-partner-secret-0123456789";

    [Fact]
    public async Task A_client_no_longer_in_configuration_is_unregistered_at_start_up_and_its_secret_stops_working()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using (var scope = identity.Factory.Services.CreateAsyncScope())
        {
            // As if an earlier release had configured it.
            await scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>().CreateAsync(
                new OpenIddictApplicationDescriptor
                {
                    ClientId = RetiredClient,
                    ClientSecret = RetiredSecret,
                    ClientType = ClientTypes.Confidential,
                    Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials, Permissions.Prefixes.Scope + "catalog" },
                },
                cancellationToken);
        }

        (await ServiceTokenAsync()).AccessToken.ShouldNotBeNull("the registered client gets tokens until it is removed");

        // What every start-up runs.
        await identity.Factory.Services.GetServices<IHostedService>().OfType<ClientSeeding>().Single().StartAsync(cancellationToken);

        var refused = await ServiceTokenAsync();
        refused.AccessToken.ShouldBeNull();
        refused.Error.ShouldBe(Errors.InvalidClient);
        await using (var scope = identity.Factory.Services.CreateAsyncScope())
        {
            var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
            (await applications.FindByClientIdAsync(RetiredClient, cancellationToken)).ShouldBeNull();
            (await applications.FindByClientIdAsync(SignInFlow.WebClientId, cancellationToken)).ShouldNotBeNull("configured clients stay");
        }
    }

    private async Task<TokenResponse> ServiceTokenAsync()
    {
        using var http = identity.Factory.CreateClient();
        return await new SignInFlow(http).TokenAsync(
            new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = RetiredClient,
                ["client_secret"] = RetiredSecret,
                ["scope"] = "catalog",
            },
            TestContext.Current.CancellationToken);
    }
}
