using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Answers a request the framework could not read (a malformed id in the route, a body that is not the JSON the
/// endpoint takes) with a 400 problem that says what could not be read, in every environment, instead of a 500.
/// </summary>
internal sealed class UnreadableRequests(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException unreadable)
        {
            return false;
        }

        httpContext.Response.StatusCode = unreadable.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = unreadable.StatusCode,
                Title = "The request could not be read.",
                // The framework's message names the parameter and what was expected, never the rest of the body.
                Detail = unreadable.Message,
            },
        });
    }
}
