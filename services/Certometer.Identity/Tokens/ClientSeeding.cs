using Certometer.Auth;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Certometer.Identity.Tokens;

/// <summary>
/// Makes the registered applications and API scopes in the database match configuration at start-up: configuration
/// is the only place a client is registered, so a removed redirect URI, or a removed client, really stops working.
/// </summary>
internal sealed class ClientSeeding(IServiceScopeFactory scopeFactory, IOptions<OidcOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var scopes = scope.ServiceProvider.GetRequiredService<IOpenIddictScopeManager>();

        foreach (var api in PlatformApi.All)
        {
            var descriptor = new OpenIddictScopeDescriptor { Name = api.Scope, DisplayName = $"The {api.Scope} API", Resources = { api.Audience } };
            var existing = await scopes.FindByNameAsync(api.Scope, cancellationToken);
            if (existing is null)
            {
                await scopes.CreateAsync(descriptor, cancellationToken);
            }
            else
            {
                await scopes.UpdateAsync(existing, descriptor, cancellationToken);
            }
        }

        foreach (var client in options.Value.Clients)
        {
            var descriptor = Describe(client);
            var existing = await applications.FindByClientIdAsync(client.ClientId, cancellationToken);
            if (existing is null)
            {
                await applications.CreateAsync(descriptor, cancellationToken);
            }
            else
            {
                await applications.UpdateAsync(existing, descriptor, cancellationToken);
            }
        }

        await RemoveUnconfiguredAsync(applications, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// A client taken out of configuration is taken out of the server too, with its authorizations and tokens (the
    /// store deletes them with the application), so a retired app or a leaked secret of one stops working at once.
    /// </summary>
    private async Task RemoveUnconfiguredAsync(IOpenIddictApplicationManager applications, CancellationToken cancellationToken)
    {
        var configured = options.Value.Clients.Select(c => c.ClientId).ToHashSet(StringComparer.Ordinal);
        var retired = new List<object>();
        await foreach (var application in applications.ListAsync(cancellationToken: cancellationToken))
        {
            if (!configured.Contains(await applications.GetClientIdAsync(application, cancellationToken) ?? ""))
            {
                retired.Add(application);
            }
        }

        foreach (var application in retired)
        {
            await applications.DeleteAsync(application, cancellationToken);
        }
    }

    private static OpenIddictApplicationDescriptor Describe(ClientRegistration client)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = client.ClientId,
            DisplayName = client.DisplayName,
            ConsentType = ConsentTypes.Implicit,
        };
        descriptor.Permissions.UnionWith(client.Scopes.Select(scope => Permissions.Prefixes.Scope + scope));
        // A client may name, as a token's resource, each API it may ask a scope of, and no other.
        descriptor.Permissions.UnionWith(PlatformApi.OfScopes(client.Scopes)
            .Select(api => Permissions.Prefixes.Resource + api.Audience));
        descriptor.Permissions.Add(Permissions.Endpoints.Token);
        descriptor.Permissions.Add(Permissions.Endpoints.Revocation);

        if (client.IsServiceClient)
        {
            descriptor.ClientType = ClientTypes.Confidential;
            descriptor.ClientSecret = client.ClientSecret;
            descriptor.Permissions.Add(Permissions.GrantTypes.ClientCredentials);
            return descriptor;
        }

        // First-party web and mobile apps: public clients, so PKCE is what proves the code was theirs.
        descriptor.ClientType = ClientTypes.Public;
        descriptor.RedirectUris.UnionWith(client.RedirectUris);
        descriptor.PostLogoutRedirectUris.UnionWith(client.PostLogoutRedirectUris);
        descriptor.Permissions.UnionWith(
        [
            Permissions.Endpoints.Authorization,
            Permissions.Endpoints.EndSession,
            Permissions.GrantTypes.AuthorizationCode,
            Permissions.GrantTypes.RefreshToken,
            Permissions.ResponseTypes.Code,
            Permissions.Scopes.Email,
            Permissions.Scopes.Profile,
            Permissions.Scopes.Roles,
        ]);
        descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
        return descriptor;
    }
}
