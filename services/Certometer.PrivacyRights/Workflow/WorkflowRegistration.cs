using Certometer.HolderContract.Answers;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Certometer.PrivacyRights.Workflow;

/// <summary>The request workflow: its options, its transitions, its clock and the answers it consumes.</summary>
internal static class WorkflowRegistration
{
    public static IHostApplicationBuilder AddRequestWorkflow(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WorkflowOptions>()
            .BindConfiguration(WorkflowOptions.SectionName)
            .Validate(o => o.AnswerTimeout > TimeSpan.Zero, "PrivacyRights:Workflow:AnswerTimeout must be positive.")
            .Validate(o => o.MaxAnswerTimeout >= o.AnswerTimeout, "PrivacyRights:Workflow:MaxAnswerTimeout cannot be shorter than AnswerTimeout.")
            .Validate(o => o.ClockInterval > TimeSpan.Zero, "PrivacyRights:Workflow:ClockInterval must be positive.")
            .Validate(o => o.ErasureCoolingOff >= TimeSpan.Zero, "PrivacyRights:Workflow:ErasureCoolingOff cannot be negative.")
            .Validate(o => o.EscalateAfterAttempts >= 1, "PrivacyRights:Workflow:EscalateAfterAttempts must be at least 1.")
            .Validate(o => o.PackageLifetime > TimeSpan.Zero, "PrivacyRights:Workflow:PackageLifetime must be positive.")
            .Validate(o => o.NoticeTimeout > TimeSpan.Zero, "PrivacyRights:Workflow:NoticeTimeout must be positive.")
            // A required holder without a key could never be registered (its declaration is refused like every answer
            // of it), so every request would wait for it for ever.
            .Validate<IOptions<HolderAnswerVerificationOptions>>(
                (o, keys) => o.RequiredHolders.All(keys.Value.HolderKeys.ContainsKey),
                "Every holder in PrivacyRights:Workflow:RequiredHolders needs its public key in PrivacyRights:HolderKeys:<service>: PrivacyRights refuses every answer of a holder it has no key for.")
            .ValidateOnStart();
        builder.Services.AddScoped<RequestLifecycle>();
        builder.Services.AddHostedService<WorkflowClock>();
        return builder;
    }

    public static IBusRegistrationConfigurator AddRequestWorkflowConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<AccountLockedConsumer>();
        bus.AddConsumer<SubjectErasedConsumer>();
        bus.AddConsumer<SubjectDataExportedConsumer>();
        bus.AddConsumer<ProcessingRestrictionAppliedConsumer>();
        bus.AddConsumer<ProcessingRestrictionLiftedConsumer>();
        bus.AddConsumer<PrivacyNoticeDeliveredConsumer>();
        bus.AddConsumer<PrivacyNoticeFailedConsumer>();
        return bus;
    }
}
