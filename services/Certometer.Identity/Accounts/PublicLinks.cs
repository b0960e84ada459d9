using Certometer.Identity.Tokens;

namespace Certometer.Identity.Accounts;

/// <summary>Links into this service for emails, which people open from outside it.</summary>
internal static class PublicLinks
{
    /// <summary>Where people reach this service: the configured issuer, else the address the request came in on.</summary>
    public static Uri BaseOf(OidcOptions oidc, HttpRequest request) =>
        oidc.Issuer ?? new Uri($"{request.Scheme}://{request.Host}{request.PathBase}/");

    /// <summary>A page's link that names the account and carries its one-use token.</summary>
    public static string To(Uri publicBase, string path, Guid accountId, string token) =>
        To(publicBase, $"{path}?account={accountId}&token={Uri.EscapeDataString(token)}");

    // Relative to the base's own path, so an issuer such as https://example.com/identity keeps its /identity.
    public static string To(Uri publicBase, string pathAndQuery) =>
        new Uri(publicBase.AbsoluteUri.EndsWith('/') ? publicBase : new Uri(publicBase.AbsoluteUri + "/"), pathAndQuery.TrimStart('/')).AbsoluteUri;
}
