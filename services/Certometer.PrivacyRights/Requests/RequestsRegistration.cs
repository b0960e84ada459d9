using Certometer.PrivacyRights.Audit;

namespace Certometer.PrivacyRights.Requests;

/// <summary>Options, pseudonyms and the audit chain that request handling and the consent ledger depend on.</summary>
internal static class RequestsRegistration
{
    public static IHostApplicationBuilder AddPrivacyRequests(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PrivacyRightsOptions>()
            .BindConfiguration(PrivacyRightsOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<SubjectPseudonyms>();
        builder.Services.AddSingleton<AuditChain>();
        return builder;
    }
}
