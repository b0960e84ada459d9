using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Certometer.PrivacyRights.Audit;

/// <summary>The keyed audit chain, its signed checkpoints outside the database, and the writer that takes them.</summary>
internal static class AuditRegistration
{
    public static IHostApplicationBuilder AddAuditChain(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuditCheckpointOptions>()
            .BindConfiguration(AuditCheckpointOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.CheckpointInterval > TimeSpan.Zero, "PrivacyRights:Audit:CheckpointInterval must be positive.")
            .Validate(
                o => o.CheckpointSigningKey.Length == 0 || AuditCheckpoints.IsSigningKey(o.CheckpointSigningKey),
                "PrivacyRights:Audit:CheckpointSigningKey is not an ECDSA P-256 private key (PKCS#8 DER, base64).")
            .ValidateOnStart();
        builder.Services.AddSingleton<SubjectPseudonyms>();
        builder.Services.AddSingleton<AuditChain>();
        // Joins the service's DbContext with the other interceptors (ServiceDatabase adds every IInterceptor).
        builder.Services.AddSingleton<IInterceptor, AuditChainSealing>();
        builder.Services.AddSingleton<AuditChainAppender>();
        builder.Services.AddHostedService(services => services.GetRequiredService<AuditChainAppender>());
        builder.Services.AddSingleton<AuditCheckpoints>();
        builder.Services.AddSingleton<AuditCheckpointWriter>();
        builder.Services.AddHostedService(services => services.GetRequiredService<AuditCheckpointWriter>());
        return builder;
    }
}
