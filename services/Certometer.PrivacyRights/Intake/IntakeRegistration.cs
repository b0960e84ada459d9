using Certometer.Auth;

namespace Certometer.PrivacyRights.Intake;

/// <summary>The one intake every channel uses, the email-code verification and the abuse limit on the anonymous endpoints.</summary>
internal static class IntakeRegistration
{
    public static IHostApplicationBuilder AddRequestIntake(this IHostApplicationBuilder builder)
    {
        // Scoped: it hands a new request to the workflow, which works on the request's own DbContext.
        builder.Services.AddScoped<RequestIntake>();

        var verification = builder.Configuration.GetSection(RequestVerificationOptions.SectionName);
        builder.Services.AddOptions<RequestVerificationOptions>().Bind(verification).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<VerificationCodes>();
        // The anonymous endpoints send email and take guesses: both count against one limit per client address.
        var abuseLimit = (verification.Get<RequestVerificationOptions>() ?? new RequestVerificationOptions()).AbuseLimit;
        builder.Services.AddAbuseLimiter(request =>
            HttpMethods.IsPost(request.Method) && request.Path.StartsWithSegments(UnverifiedRequestEndpoints.PathPrefix, StringComparison.OrdinalIgnoreCase)
                ? ("unverified-requests", abuseLimit)
                : null);
        return builder;
    }
}
