using System.Security.Claims;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Certometer.EndToEnd.Tests;

/// <summary>
/// Mints access tokens outside Identity, to prove every API checks each property of a token on its own. In Development,
/// Identity signs with OpenIddict's development certificate in this machine's user certificate store, so a test running as
/// the same user can sign with Identity's real key and change one thing at a time.
/// </summary>
public sealed class ForgedTokens(X509Certificate2 identityKey, Uri issuer)
{
    public static async Task<ForgedTokens> LoadAsync(Uri identity, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = identity };
        using var jwks = JsonDocument.Parse(await http.GetStringAsync("/.well-known/jwks", cancellationToken));
        var kid = jwks.RootElement.GetProperty("keys")[0].GetProperty("kid").GetString()!;
        using var store = new X509Store(StoreName.My, StoreLocation.CurrentUser);
        store.Open(OpenFlags.ReadOnly);
        var certificate = store.Certificates.Find(X509FindType.FindByThumbprint, kid, validOnly: false).SingleOrDefault()
            ?? throw new InvalidOperationException($"Identity's signing certificate {kid} is not in this user's store; is Identity running in Development on this machine?");
        return new ForgedTokens(certificate, identity);
    }

    /// <summary>A token exactly like one Identity would issue for <paramref name="audience"/>; the control case.</summary>
    public string Valid(string audience, string scope, string role) => Sign(Descriptor(audience, scope, role), Identity);

    public string Expired(string audience, string scope, string role)
    {
        var descriptor = Descriptor(audience, scope, role);
        descriptor.IssuedAt = descriptor.NotBefore = DateTime.UtcNow.AddHours(-2);
        descriptor.Expires = DateTime.UtcNow.AddHours(-1);
        return Sign(descriptor, Identity);
    }

    public string FromAnotherIssuer(string audience, string scope, string role)
    {
        var descriptor = Descriptor(audience, scope, role);
        descriptor.Issuer = "https://identity.attacker.example/";
        return Sign(descriptor, Identity);
    }

    public string SignedWithUnknownKey(string audience, string scope, string role)
    {
        using var rsa = RSA.Create(2048);
        var stranger = new RsaSecurityKey(rsa.ExportParameters(includePrivateParameters: true)) { KeyId = Convert.ToHexString(RandomNumberGenerator.GetBytes(20)) };
        return Sign(Descriptor(audience, scope, role), new SigningCredentials(stranger, SecurityAlgorithms.RsaSha256));
    }

    /// <summary>The same claims with <c>alg: none</c> and no signature at all.</summary>
    public string WithoutSignature(string audience, string scope, string role)
    {
        var descriptor = Descriptor(audience, scope, role);
        var header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = "none", ["typ"] = "at+jwt" }));
        var now = DateTimeOffset.UtcNow;
        var claims = descriptor.Subject.Claims.GroupBy(claim => claim.Type)
            .ToDictionary(group => group.Key, group => (object)(group.Count() == 1 ? group.First().Value : group.Select(claim => claim.Value).ToArray()));
        claims["iss"] = descriptor.Issuer;
        claims["aud"] = descriptor.Audience;
        claims["iat"] = now.ToUnixTimeSeconds();
        claims["nbf"] = now.ToUnixTimeSeconds();
        claims["exp"] = now.AddMinutes(5).ToUnixTimeSeconds();
        return $"{header}.{Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims))}.";
    }

    private SigningCredentials Identity => new X509SigningCredentials(identityKey, SecurityAlgorithms.RsaSha256);

    private SecurityTokenDescriptor Descriptor(string audience, string scope, string role) => new()
    {
        Issuer = issuer.AbsoluteUri,
        Audience = audience,
        TokenType = "at+jwt",
        IssuedAt = DateTime.UtcNow,
        NotBefore = DateTime.UtcNow,
        Expires = DateTime.UtcNow.AddMinutes(5),
        Subject = new ClaimsIdentity(
        [
            new Claim("sub", Guid.NewGuid().ToString()),
            new Claim("scope", scope),
            new Claim("role", role),
            new Claim("jti", Guid.NewGuid().ToString()),
        ]),
    };

    private static string Sign(SecurityTokenDescriptor descriptor, SigningCredentials credentials)
    {
        descriptor.SigningCredentials = credentials;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
