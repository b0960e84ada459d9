using System.Security.Cryptography.X509Certificates;
using Certometer.Auth;
using Certometer.Identity.Data;
using Microsoft.Extensions.Options;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Certometer.Identity.Tokens;

/// <summary>Identity's OpenID Connect server: code flow with PKCE for people, client credentials for services.</summary>
internal static class OidcServer
{
    public static IHostApplicationBuilder AddOidcServer(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(OidcOptions.SectionName);
        builder.Services.AddOptions<OidcOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<OidcOptions>, ClientRegistrationValidation>();
        var settings = section.Get<OidcOptions>() ?? new OidcOptions();

        builder.Services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<IdentityDbContext>().ReplaceDefaultEntities<Guid>())
            .AddServer(server =>
            {
                server.SetAuthorizationEndpointUris("connect/authorize")
                    .SetTokenEndpointUris("connect/token")
                    .SetEndSessionEndpointUris("connect/endsession")
                    .SetRevocationEndpointUris("connect/revoke");

                // No password grant and no implicit flow: people sign in on our page, apps never see passwords.
                server.AllowAuthorizationCodeFlow()
                    .RequireProofKeyForCodeExchange()
                    .AllowRefreshTokenFlow()
                    .AllowClientCredentialsFlow();
                // "plain" PKCE sends the verifier itself in the front channel, which defeats the point; S256 only.
                server.Configure(options => options.CodeChallengeMethods.Remove(CodeChallengeMethods.Plain));

                server.RegisterScopes([Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.Roles, Scopes.OfflineAccess,
                    .. PlatformApi.All.Select(api => api.Scope)]);
                // RFC 8707: a token request names the one API its access token is for (AccessTokenAudience).
                server.RegisterResources([.. PlatformApi.All.Select(api => api.Audience)]);
                server.AddEventHandler<OpenIddictServerEvents.ProcessSignInContext>(handler => handler
                    .UseInlineHandler(AccessTokenScopes.NarrowToAudience)
                    .SetOrder(OpenIddictServerHandlers.PrepareAccessTokenPrincipal.Descriptor.Order + 1)
                    .SetType(OpenIddictServerHandlerType.Custom));

                server.SetAccessTokenLifetime(settings.AccessTokenLifetime)
                    .SetRefreshTokenLifetime(settings.RefreshTokenLifetime)
                    // Refresh tokens rotate on every use, and a used one is refused at once: a stolen, already-used
                    // refresh token is worthless, and replaying it revokes the chain.
                    .SetRefreshTokenReuseLeeway(TimeSpan.Zero);

                // Plain signed JWTs, so every API validates them with Identity's public keys alone.
                server.DisableAccessTokenEncryption();

                if (settings.Issuer is not null)
                {
                    server.SetIssuer(settings.Issuer);
                }

                AddCredentials(server, builder.Environment, settings);

                var aspNetCore = server.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    .EnableStatusCodePagesIntegration();
                if (!settings.RequireHttps)
                {
                    aspNetCore.DisableTransportSecurityRequirement();
                }
            });

        builder.Services.AddHostedService<ClientSeeding>();
        return builder;
    }

    private static void AddCredentials(OpenIddictServerBuilder server, IHostEnvironment environment, OidcOptions settings)
    {
        if (environment.IsDevelopment())
        {
            server.AddDevelopmentEncryptionCertificate().AddDevelopmentSigningCertificate();
            return;
        }

        server.AddSigningCertificate(LoadCertificate(settings.SigningCertificate, "SigningCertificate"))
            .AddEncryptionCertificate(LoadCertificate(settings.EncryptionCertificate, "EncryptionCertificate"));
    }

    private static X509Certificate2 LoadCertificate(CertificateFile? file, string name)
    {
        // Development certificates outside Development would mean tokens signed by a key anyone can regenerate.
        if (string.IsNullOrWhiteSpace(file?.Path))
        {
            throw new InvalidOperationException(
                $"{OidcOptions.SectionName}:{name}:Path is not set. Outside Development, Identity signs and encrypts tokens only with " +
                $"certificates you provide: set {OidcOptions.SectionName}:{name}:Path to a PFX file and {OidcOptions.SectionName}:{name}:Password to its password.");
        }

        if (!File.Exists(file.Path))
        {
            throw new InvalidOperationException($"{OidcOptions.SectionName}:{name}:Path points at '{file.Path}', which does not exist.");
        }

        return X509CertificateLoader.LoadPkcs12FromFile(file.Path, file.Password);
    }
}

/// <summary>Rejects client registrations that would weaken the flows at start-up, naming the client.</summary>
internal sealed class ClientRegistrationValidation : IValidateOptions<OidcOptions>
{
    public ValidateOptionsResult Validate(string? name, OidcOptions options)
    {
        var known = PlatformApi.All.Select(api => api.Scope).ToHashSet(StringComparer.Ordinal);
        var failures = new List<string>();
        foreach (var client in options.Clients)
        {
            var prefix = $"{OidcOptions.SectionName}:Clients '{client.ClientId}'";
            failures.AddRange(client.Scopes.Where(scope => !known.Contains(scope)).Select(scope => $"{prefix} asks for unknown scope '{scope}'."));
            if (!client.IsServiceClient && client.RedirectUris.Count == 0)
            {
                failures.Add($"{prefix} is a public client without redirect URIs.");
            }

            if (client.IsServiceClient && client.RedirectUris.Count > 0)
            {
                failures.Add($"{prefix} has a secret (a service client) and redirect URIs; a service client never signs people in.");
            }
        }

        failures.AddRange(options.Clients.GroupBy(client => client.ClientId, StringComparer.Ordinal)
            .Where(group => group.Count() > 1)
            .Select(group => $"{OidcOptions.SectionName}:Clients registers '{group.Key}' more than once."));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
