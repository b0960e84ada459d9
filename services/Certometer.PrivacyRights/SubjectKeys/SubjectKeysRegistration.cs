using Certometer.HolderContract.Sealing;

namespace Certometer.PrivacyRights.SubjectKeys;

/// <summary>PrivacyRights keeps the subject keys every service seals personal values in events with.</summary>
internal static class SubjectKeysRegistration
{
    /// <summary>Call before <c>AddPersonalDataHolder</c>, so PrivacyRights seals and opens with its own store rather than asking itself over HTTP.</summary>
    public static IHostApplicationBuilder AddSubjectKeyStore(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SubjectKeyOptions>()
            .BindConfiguration(SubjectKeyOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.IsValid(), "PrivacyRights:SubjectKeys:MasterKeys must hold the CurrentMasterKey, and every master key must be 256 bits, base64.")
            .ValidateOnStart();
        builder.Services.AddSingleton<SubjectKeyStore>();
        builder.Services.AddSingleton<ISubjectKeyring>(services => services.GetRequiredService<SubjectKeyStore>());
        builder.Services.AddHostedService<SubjectKeyRewrapping>();
        return builder;
    }
}
