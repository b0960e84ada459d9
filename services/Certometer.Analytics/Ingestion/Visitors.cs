using System.Security.Claims;
using Certometer.Analytics.Pseudonymity;
using Certometer.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using OpenIddict.Validation.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Certometer.Analytics.Ingestion;

/// <summary>Who an event is stored under: a pseudonym for a signed-in person, or nobody (the event's own random id).</summary>
internal sealed record VisitorKey(string? Pseudonym)
{
    public static VisitorKey Anonymous { get; } = new((string?)null);
}

/// <summary>
/// Identifies the caller of an anonymous-friendly endpoint. A request with no Authorization header is anonymous; one
/// with a header must carry a valid token for this API, because treating a bad token as anonymous would record a
/// signed-in person's visit under a random id the subject could never export or erase.
/// </summary>
internal static class Visitors
{
    public static async Task<(VisitorKey? Visitor, ProblemHttpResult? Refusal)> IdentifyAsync(HttpContext http, Pseudonyms pseudonyms)
    {
        if (!http.Request.Headers.ContainsKey(HeaderNames.Authorization))
        {
            return (VisitorKey.Anonymous, null);
        }

        var result = await http.AuthenticateAsync(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
        if (!result.Succeeded)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            return (null, TypedResults.Problem(
                title: "The bearer token is not valid for this API.",
                detail: "Send a current access token with the analytics scope, or no Authorization header at all to record an anonymous visit.",
                statusCode: StatusCodes.Status401Unauthorized));
        }

        var user = result.Principal;
        if (!HasScope(user, PlatformApi.Analytics.Scope)
            || !PlatformRoles.People.Any(user.IsInRole)
            || !CallerSubject.TryGet(user, out var subjectId))
        {
            return (null, TypedResults.Problem(
                title: "Only people's visits are recorded.",
                detail: "Usage events come from a person's app with the analytics scope; service clients send none.",
                statusCode: StatusCodes.Status403Forbidden));
        }

        return (new VisitorKey(pseudonyms.Of(subjectId)), null);
    }

    private static bool HasScope(ClaimsPrincipal user, string scope) =>
        user.FindAll(Claims.Scope).Any(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(scope, StringComparer.Ordinal));
}
