using System.ComponentModel.DataAnnotations;

namespace Certometer.Identity.Tokens;

/// <summary>The OpenID Connect server's settings (section <c>Identity</c>).</summary>
public sealed class OidcOptions
{
    public const string SectionName = "Identity";

    /// <summary>The issuer tokens name; when unset it is the address the request came in on.</summary>
    public Uri? Issuer { get; set; }

    /// <summary>False only behind a TLS-terminating proxy or on a developer's loopback; the local stack is plain HTTP.</summary>
    public bool RequireHttps { get; set; } = true;

    [Range(typeof(TimeSpan), "00:01:00", "01:00:00")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    [Range(typeof(TimeSpan), "00:10:00", "90.00:00:00")]
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>PFX files for production; Development uses OpenIddict's development certificates instead.</summary>
    public CertificateFile? SigningCertificate { get; set; }

    public CertificateFile? EncryptionCertificate { get; set; }

    /// <summary>The applications allowed to ask for tokens, seeded into the database at start-up.</summary>
    public IList<ClientRegistration> Clients { get; } = [];
}

/// <summary>A PFX certificate on disk and its password.</summary>
public sealed class CertificateFile
{
    public string? Path { get; set; }

    public string? Password { get; set; }
}

/// <summary>One application's registration: a public client (web, mobile) or a confidential service client.</summary>
public sealed class ClientRegistration
{
    [Required]
    public string ClientId { get; set; } = "";

    [Required]
    public string DisplayName { get; set; } = "";

    /// <summary>Only for service clients (client credentials); public clients have none and must use PKCE.</summary>
    public string? ClientSecret { get; set; }

    public IList<Uri> RedirectUris { get; } = [];

    public IList<Uri> PostLogoutRedirectUris { get; } = [];

    /// <summary>API scopes (<c>catalog</c>, <c>billing</c>, ...) the client may ask for.</summary>
    public IList<string> Scopes { get; } = [];

    public bool IsServiceClient => !string.IsNullOrEmpty(ClientSecret);
}
