using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Certometer.Auth;

/// <summary>The person a request acts for: the <c>sub</c> claim of its validated token, when that names a person.</summary>
public static class CallerSubject
{
    public static Guid? Of(ClaimsPrincipal? user) =>
        user?.Identity?.IsAuthenticated == true && Guid.TryParse(user.FindFirstValue(Claims.Subject), out var subject) && subject != Guid.Empty
            ? subject
            : null;

    public static bool TryGet(ClaimsPrincipal? user, out Guid subjectId)
    {
        subjectId = Of(user) ?? Guid.Empty;
        return subjectId != Guid.Empty;
    }

    /// <summary>The caller as an audit entry names them: the <c>sub</c> claim exactly as issued, empty when there is none.</summary>
    public static string Actor(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.FindFirstValue(Claims.Subject) ?? "";
    }

    /// <summary>The answer when a policy admitted the token but it names no usable subject: it must still not reach the data.</summary>
    public static ProblemHttpResult NotAPerson() =>
        TypedResults.Problem(title: "This token does not name a person.", statusCode: StatusCodes.Status403Forbidden);
}
