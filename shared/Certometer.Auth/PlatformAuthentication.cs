using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenIddict.Validation.AspNetCore;

namespace Certometer.Auth;

/// <summary>Makes a service's API accept Identity's access tokens and nothing else.</summary>
public static class PlatformAuthentication
{
    /// <summary>The configuration section naming the issuer every token must come from.</summary>
    public const string SectionName = "Identity";

    /// <summary>
    /// Validates bearer tokens against Identity (issuer, signature, lifetime, token type and <paramref name="api"/>'s audience),
    /// registers the <see cref="PlatformPolicies"/> and refuses to start if any endpoint does not name its policy.
    /// </summary>
    /// <param name="useLocalServer">
    /// Set by Identity itself, which validates its own tokens in-process; every other service discovers Identity over HTTP.
    /// </param>
    public static IHostApplicationBuilder AddPlatformAuthentication(
        this IHostApplicationBuilder builder, PlatformApi api, Action<OpenIddictValidationBuilder>? useLocalServer = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(api);

        builder.Services.AddOpenIddict().AddValidation(validation =>
        {
            if (useLocalServer is not null)
            {
                useLocalServer(validation);
            }
            else
            {
                ConfigureRemoteIssuer(validation, builder.Configuration);
            }

            validation.AddAudiences(api.Audience);
            validation.UseAspNetCore();
        });

        builder.Services.AddAuthentication(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
        var staffNeedSecondFactor = StaffSecondFactor.IsRequired(builder.Configuration, builder.Environment);
        builder.Services.AddAuthorization(options =>
        {
            // Every policy accepts bearer tokens only: a browser cookie (Identity's sign-in session) must never
            // authorise an API call, or any page on the web could make one on the user's behalf.
            AuthorizationPolicyBuilder Token() => new AuthorizationPolicyBuilder(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .RequireAssertion(context => HasScope(context.User, api.Scope));

            // A staff token must also say the second factor was proven, so a phished staff password alone acts on nobody's data.
            AuthorizationPolicyBuilder Staff(string role) => staffNeedSecondFactor
                ? Token().RequireRole(role).RequireClaim(StaffSecondFactor.MethodsClaim, StaffSecondFactor.MultipleFactors)
                : Token().RequireRole(role);

            options.AddPolicy(PlatformPolicies.SignedIn, Token().RequireRole(PlatformRoles.People).Build());
            options.AddPolicy(PlatformPolicies.ComplianceOfficer, Staff(PlatformRoles.ComplianceOfficer).Build());
            options.AddPolicy(PlatformPolicies.Operator, Staff(PlatformRoles.Operator).Build());
            options.AddPolicy(PlatformPolicies.Service, Token().RequireRole(PlatformRoles.ServiceClient).Build());

            // Defence in depth behind the start-up audit below: anything that slipped through still needs a token.
            options.FallbackPolicy = Token().Build();
        });

        builder.Services.AddHostedService<EndpointPolicyAudit>();
        builder.Services.Configure<Microsoft.AspNetCore.OpenApi.OpenApiOptions>("v1", OpenApiSecurity.Describe);
        return builder;
    }

    /// <summary>
    /// Authenticates bearer tokens, refuses those naming a person no longer admitted (<see cref="ISubjectAdmission"/>) and
    /// enforces each endpoint's policy; call after <c>MapDefaultEndpoints</c>.
    /// </summary>
    public static WebApplication UsePlatformAuthentication(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseAuthentication();
        app.UseMiddleware<SubjectAdmissionMiddleware>();
        app.UseAuthorization();
        return app;
    }

    private static void ConfigureRemoteIssuer(OpenIddictValidationBuilder validation, IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        var issuer = section["Issuer"];
        if (!Uri.TryCreate(issuer, UriKind.Absolute, out var issuerUri))
        {
            throw new InvalidOperationException(
                $"{SectionName}:Issuer is missing or not an absolute URI: set it to the Identity service's public address " +
                "(tokens must name it as their issuer), or run the service from the AppHost, which sets it.");
        }

        validation.SetIssuer(issuerUri);

        // The issuer is the public name in the tokens; the metadata address is how this service reaches Identity,
        // which inside the AppHost is a service-discovery name (http://identity) rather than a public host.
        if (Uri.TryCreate(section["MetadataAddress"], UriKind.Absolute, out var metadataAddress))
        {
            validation.Configure(options => options.ConfigurationEndpoint = metadataAddress);
        }

        validation.UseSystemNetHttp();
    }

    private static bool HasScope(System.Security.Claims.ClaimsPrincipal user, string scope) =>
        user.FindAll("scope").Any(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(scope, StringComparer.Ordinal));
}
