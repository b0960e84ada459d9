namespace Certometer.Auth;

/// <summary>
/// An API that accepts Identity's access tokens: the scope a client asks for, and the audience a token for it carries.
/// </summary>
/// <remarks>
/// Every access token names exactly one API. A client that may call several asks for each API's token separately,
/// naming it with the RFC 8707 <c>resource</c> parameter (<see cref="Audience"/>, an absolute URI as the RFC requires):
/// a token leaked through the Catalog's logs is then useless at PrivacyRights.
/// </remarks>
public sealed record PlatformApi(string Scope, string Audience)
{
    public static PlatformApi Account { get; } = new("account", "urn:certometer:account");
    public static PlatformApi Catalog { get; } = new("catalog", "urn:certometer:catalog");
    public static PlatformApi Billing { get; } = new("billing", "urn:certometer:billing");
    public static PlatformApi Notifications { get; } = new("notifications", "urn:certometer:notifications");
    public static PlatformApi Analytics { get; } = new("analytics", "urn:certometer:analytics");
    public static PlatformApi Privacy { get; } = new("privacy", "urn:certometer:privacy");

    public static IReadOnlyList<PlatformApi> All { get; } = [Account, Catalog, Billing, Notifications, Analytics, Privacy];

    public static PlatformApi? WithScope(string scope) => All.FirstOrDefault(api => api.Scope == scope);

    /// <summary>The APIs <paramref name="scopes"/> name, in their order; scopes that name no API (<c>openid</c>, ...) are skipped.</summary>
    public static IEnumerable<PlatformApi> OfScopes(IEnumerable<string> scopes) => scopes.Select(WithScope).OfType<PlatformApi>();

    public static PlatformApi? WithAudience(string audience) => All.FirstOrDefault(api => api.Audience == audience);
}
