using Certometer.Auth;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace Certometer.HolderContract.Tombstones;

/// <summary>Refuses API calls whose token names a subject this service has erased (the token may outlive the erasure).</summary>
internal sealed class ErasedSubjectAdmission<TDbContext>(TDbContext db, ErasureTombstones tombstones, ErasedSubjectMetrics metrics)
    : ISubjectAdmission
    where TDbContext : DbContext
{
    public async ValueTask<string?> RefusalAsync(Guid subjectId, CancellationToken cancellationToken)
    {
        if (!await tombstones.IsErasedAsync(db, subjectId, cancellationToken))
        {
            return null;
        }

        metrics.CallRefused();
        return "The account this token was issued to has been erased.";
    }
}

/// <summary>
/// Turns a write refused by <see cref="ErasedSubjectGuard"/> in the middle of a request (the erasure committed after the
/// request was admitted) into the same 401 problem as a refusal up front; nothing of the request was written.
/// </summary>
internal sealed class ErasedSubjectProblems(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not SubjectErasedException)
        {
            return false;
        }

        httpContext.Response.StatusCode = StatusCodes.Status401Unauthorized;
        httpContext.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\", error_description=\"The account this token was issued to has been erased.\"";
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "This token can no longer be used.",
                Detail = "The account this token was issued to has been erased.",
            },
        });
    }
}
