namespace Certometer.Auth;

/// <summary>
/// An API that accepts Identity's access tokens: the scope a client asks for and the audience a token for it carries.
/// One audience per API, so a token minted for Billing is useless against Catalog.
/// </summary>
public sealed record PlatformApi(string Scope, string Audience)
{
    public static PlatformApi Account { get; } = new("account", "certometer-identity");
    public static PlatformApi Catalog { get; } = new("catalog", "certometer-catalog");
    public static PlatformApi Billing { get; } = new("billing", "certometer-billing");
    public static PlatformApi Notifications { get; } = new("notifications", "certometer-notifications");
    public static PlatformApi Analytics { get; } = new("analytics", "certometer-analytics");
    public static PlatformApi Privacy { get; } = new("privacy", "certometer-privacy");

    public static IReadOnlyList<PlatformApi> All { get; } = [Account, Catalog, Billing, Notifications, Analytics, Privacy];
}
