using Certometer.Auth;
using Certometer.PrivacyRights.Audit;

namespace Certometer.PrivacyRights.Requests;

/// <summary>Options, pseudonyms and the intake that request handling and the consent ledger depend on.</summary>
internal static class RequestsRegistration
{
    public static IHostApplicationBuilder AddPrivacyRequests(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PrivacyRightsOptions>()
            .BindConfiguration(PrivacyRightsOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(
                o => o.AuditChainKey.Length == 0 || o.HasUsableAuditChainKey(),
                "PrivacyRights:AuditChainKey must be base64 of at least 32 random bytes.")
            .ValidateOnStart();
        builder.Services.AddSingleton<SubjectPseudonyms>();
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
