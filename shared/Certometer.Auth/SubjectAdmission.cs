using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Validation.AspNetCore;

namespace Certometer.Auth;

/// <summary>
/// Decides whether the person a valid token names may still use this service. A signature and an expiry say only that
/// Identity issued the token; an account locked or a person erased since then must be refused before the token expires.
/// </summary>
public interface ISubjectAdmission
{
    /// <returns>Why <paramref name="subjectId"/> is refused, in words fit for the caller; null to admit them.</returns>
    ValueTask<string?> RefusalAsync(Guid subjectId, CancellationToken cancellationToken);
}

/// <summary>Refuses, with a 401 problem, every request whose token names a person some <see cref="ISubjectAdmission"/> refuses.</summary>
internal sealed class SubjectAdmissionMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        // Bearer tokens arrive in the Authorization header only; a request without one has nobody to refuse.
        if (string.IsNullOrEmpty(context.Request.Headers.Authorization))
        {
            await next(context);
            return;
        }

        // The bearer token's subject, not whatever the default scheme yields: on Identity that is the sign-in cookie,
        // and a locked person must still reach the sign-in page to be told so. OpenIddict authenticates once per request.
        var token = await context.AuthenticateAsync(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
        if (token.Succeeded && CallerSubject.Of(token.Principal) is { } subject)
        {
            foreach (var admission in context.RequestServices.GetServices<ISubjectAdmission>())
            {
                if (await admission.RefusalAsync(subject, context.RequestAborted) is { } refusal)
                {
                    // invalid_token tells an OAuth client to drop the token instead of retrying with it (RFC 6750 §3.1).
                    context.Response.Headers.WWWAuthenticate = $"Bearer error=\"invalid_token\", error_description=\"{refusal}\"";
                    await Results.Problem(title: "This token can no longer be used.", detail: refusal, statusCode: StatusCodes.Status401Unauthorized)
                        .ExecuteAsync(context);
                    return;
                }
            }
        }

        await next(context);
    }
}
