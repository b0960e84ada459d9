using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Certometer.Catalog.Learners;

/// <summary>Who is calling, from the token's <c>sub</c> claim: the only source of a learner's identity, never the URL.</summary>
internal static class Subject
{
    public static Guid? Of(ClaimsPrincipal user) => Guid.TryParse(user.FindFirstValue("sub"), out var subject) ? subject : null;

    public static ProblemHttpResult Missing() =>
        TypedResults.Problem(title: "The token names no learner.", statusCode: StatusCodes.Status403Forbidden);
}
