using Certometer.Contracts.Privacy;
using Certometer.HolderContract;
using Certometer.Messaging;
using Certometer.PrivacyRights.Access;
using Certometer.PrivacyRights.Audit;
using Certometer.PrivacyRights.Compliance;
using Certometer.PrivacyRights.Consents;
using Certometer.PrivacyRights.Intake;
using Certometer.PrivacyRights.Inventory;
using Certometer.PrivacyRights.Policies;
using Certometer.PrivacyRights.Portability;
using Certometer.PrivacyRights.Requests;
using Certometer.PrivacyRights.SubjectKeys;
using Certometer.PrivacyRights.Workflow;
using MassTransit;

namespace Certometer.PrivacyRights;

/// <summary>PrivacyRights' own services, the answers and declarations it consumes, and its endpoint groups.</summary>
internal static class PrivacyRightsRegistration
{
    public static IHostApplicationBuilder AddPrivacyRights(this IHostApplicationBuilder builder)
    {
        // PrivacyRights keeps every subject's sealing key; the other services ask it for them. Registered before the
        // holder contract, which otherwise adds a client that asks PrivacyRights over HTTP.
        builder.AddSubjectKeyStore();
        // PrivacyRights alone signs the commands every holder acts on.
        builder.Services.AddPrivacyCommandSigning();
        builder.Services.AddHostedService<InventoryRefresh>();
        builder.Services.AddOptions<PrivacyRightsOptions>()
            .BindConfiguration(PrivacyRightsOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(
                o => o.AuditChainKey.Length == 0 || o.HasUsableAuditChainKey(),
                "PrivacyRights:AuditChainKey must be base64 of at least 32 random bytes.")
            .ValidateOnStart();
        builder.AddRequestIntake();
        builder.AddAuditChain();
        builder.AddRequestWorkflow();
        builder.AddPortabilityDelivery();
        builder.Services.AddScoped<ConsentLedger>();
        // The lookup carries the one-time code to Identity; once the broker has it, the outbox keeps no copy.
        builder.ForgetPayloadOnceSent<PrivacyRequestVerificationRequested>();
        return builder;
    }

    public static IBusRegistrationConfigurator AddPrivacyRightsConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<PersonalDataInventoryDeclaredConsumer>();
        bus.AddConsumer<ConsentChoicesRecordedConsumer>();
        bus.AddRequestWorkflowConsumers();
        bus.AddConsumer<PrivacyRequesterIdentifiedConsumer>();
        return bus;
    }

    public static IEndpointRouteBuilder MapPrivacyRightsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapInventoryEndpoints();
        app.MapHolderDecommissioning();
        app.MapSubjectRequestEndpoints();
        app.MapComplianceRequestEndpoints();
        app.MapAccessPackageEndpoints();
        app.MapOnBehalfRequestEndpoints();
        app.MapUnverifiedRequestEndpoints();
        app.MapAuditEndpoints();
        app.MapConsentEndpoints();
        app.MapPolicyEndpoints();
        app.MapSubjectKeyEndpoints();
        return app;
    }
}
