using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Validation;

namespace Certometer.TestInfrastructure;

/// <summary>
/// Access tokens for testing one service without running Identity: the service under test is told (in the test host
/// only) that the test issuer's key is Identity's, and tests mint tokens with it. Validation itself is the real one —
/// issuer, audience, lifetime, token type and the policies all still apply.
/// </summary>
public static class TestTokens
{
    public const string Issuer = "http://identity.test/";

    private static readonly RsaSecurityKey Key = new(RSA.Create(2048)) { KeyId = "certometer-test-key" };

    /// <summary>Points the service's token validation at the test issuer, replacing discovery of the real Identity.</summary>
    public static IWebHostBuilder UseTestIssuer(this IWebHostBuilder host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return host
            .UseSetting("Identity:Issuer", Issuer)
            .ConfigureServices(services => services.PostConfigure<OpenIddictValidationOptions>(options =>
            {
                var configuration = new OpenIddictConfiguration { Issuer = new Uri(Issuer) };
                configuration.SigningKeys.Add(Key);
                options.Configuration = configuration;
                // OpenIddict's own post-configuration may already have built a manager that discovers the issuer over
                // HTTP (it runs first when the test host adds this after the service's registrations); replace it.
                options.ConfigurationManager = new StaticConfigurationManager<OpenIddictConfiguration>(configuration);
            }));
    }

    /// <summary>
    /// The discovery document and key set of the test issuer, for a service running in its own process (benchmarks), which
    /// can only learn keys over HTTP: serve these at <paramref name="metadataBase"/>.
    /// </summary>
    public static (string Discovery, string KeySet) Metadata(Uri metadataBase)
    {
        ArgumentNullException.ThrowIfNull(metadataBase);
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(Key.Rsa.ExportParameters(includePrivateParameters: false)) { KeyId = Key.KeyId });
        jwk.Use = "sig";
        jwk.Alg = SecurityAlgorithms.RsaSha256;
        var discovery = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["issuer"] = Issuer,
            ["jwks_uri"] = new Uri(metadataBase, ".well-known/jwks").AbsoluteUri,
            ["id_token_signing_alg_values_supported"] = new[] { SecurityAlgorithms.RsaSha256 },
        });
        var keySet = System.Text.Json.JsonSerializer.Serialize(new
        {
            keys = new[] { new { kty = jwk.Kty, use = jwk.Use, alg = jwk.Alg, kid = jwk.Kid, n = jwk.N, e = jwk.E } },
        });
        return (discovery, keySet);
    }

    /// <summary>
    /// A token as Identity would issue it to a person with <paramref name="role"/> for one API: a learner's says a password
    /// was given, a staff member's that an authenticator code was too, unless <paramref name="methods"/> says otherwise.
    /// </summary>
    public static string ForPerson(
        Guid subjectId, string role, string scope, string audience, TimeSpan? lifetime = null, IReadOnlyList<string>? methods = null) =>
        Mint(subjectId.ToString(), role, scope, audience, lifetime ?? TimeSpan.FromMinutes(5),
            methods ?? (role is "compliance-officer" or "operator" ? ["pwd", "otp", "mfa"] : ["pwd"]));

    /// <summary>A client-credentials token for another Certometer service.</summary>
    public static string ForService(string scope, string audience) =>
        Mint("test-service-client", "service", scope, audience, TimeSpan.FromMinutes(5), []);

    private static string Mint(string subject, string role, string scope, string audience, TimeSpan lifetime, IReadOnlyList<string> methods)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            TokenType = "at+jwt",
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            Subject = new ClaimsIdentity(
            [
                new Claim("sub", subject),
                new Claim("scope", scope),
                new Claim("role", role),
                new Claim("jti", Guid.NewGuid().ToString()),
                .. methods.Select(method => new Claim("amr", method)),
            ]),
            SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.RsaSha256),
        });
    }
}
