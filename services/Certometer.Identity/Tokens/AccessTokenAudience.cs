using System.Collections.Immutable;
using Certometer.Auth;
using OpenIddict.Abstractions;

namespace Certometer.Identity.Tokens;

/// <summary>
/// Picks the one API an access token is for (RFC 8707 resource indicators). A grant may cover several APIs; each
/// access token covers one, so a token that leaks from one API's logs or caches is refused by every other.
/// </summary>
internal static class AccessTokenAudience
{
    /// <summary>
    /// The API named by the request's <c>resource</c>, or the grant's only API when it names none. Null with no
    /// refusal: the grant covers no API (an ID token only). A refusal says what to send instead.
    /// </summary>
    public static (PlatformApi? Api, string? Refusal) Choose(ImmutableArray<string> resources, IEnumerable<string> grantedScopes)
    {
        var granted = PlatformApi.OfScopes(grantedScopes).ToList();
        if (resources.Length > 1)
        {
            return (null, "Ask for one API's access token at a time: send one resource parameter per token request.");
        }

        if (resources.Length == 1)
        {
            var named = PlatformApi.WithAudience(resources[0]);
            if (named is null)
            {
                return (null, $"'{resources[0]}' is not an API of this platform. Resources: {Describe(PlatformApi.All)}.");
            }

            return granted.Contains(named)
                ? (named, null)
                : (null, $"The grant does not include the '{named.Scope}' scope that {named.Audience} needs; sign in again asking for it.");
        }

        return granted.Count switch
        {
            0 => (null, null),
            1 => (granted[0], null),
            _ => (null,
                $"This grant covers several APIs; an access token is for one. Name it with the resource parameter ({Describe(granted)}), " +
                "then ask for each other API's token with the refresh token (grant_type=refresh_token) and its resource."),
        };
    }

    private static string Describe(IEnumerable<PlatformApi> apis) =>
        string.Join(", ", apis.Select(api => $"{api.Audience} for the {api.Scope} scope"));
}

/// <summary>
/// Keeps in an access token only the API scope of the API it is for. The refresh token that comes with it keeps every
/// scope of the grant, so the client can still ask for each other API's token with it.
/// </summary>
internal static class AccessTokenScopes
{
    public static ValueTask NarrowToAudience(OpenIddict.Server.OpenIddictServerEvents.ProcessSignInContext context)
    {
        if (context.AccessTokenPrincipal is { } access)
        {
            var audiences = access.GetAudiences();
            access.SetScopes(access.GetScopes().Where(scope => PlatformApi.WithScope(scope) is not { } api || audiences.Contains(api.Audience)));
        }

        return ValueTask.CompletedTask;
    }
}
