using Microsoft.AspNetCore.Http.HttpResults;

namespace Certometer.Catalog.Learners;

/// <summary>
/// The answer when a token names no learner: a learner's identity comes only from the token
/// (<see cref="Certometer.Auth.CallerSubject"/>), never from the URL.
/// </summary>
internal static class Subject
{
    public static ProblemHttpResult Missing() =>
        TypedResults.Problem(title: "The token names no learner.", statusCode: StatusCodes.Status403Forbidden);
}
