using Certometer.Notifications.Marketing;
using Certometer.Notifications.PolicyNotices;
using Certometer.Notifications.Templates;

namespace Certometer.Notifications.Delivery;

/// <summary>Templates, the queue, the SMTP sender, the policy notice fan-out and the keys behind suppression and unsubscribe links.</summary>
internal static class EmailDelivery
{
    public static IHostApplicationBuilder AddEmailDelivery(this IHostApplicationBuilder builder)
    {
        var development = builder.Environment.IsDevelopment();
        builder.Services.AddOptions<SmtpOptions>().BindConfiguration(SmtpOptions.SectionName).ValidateDataAnnotations()
            .Validate(
                o => o.RequiresTls || development || o.AllowPlainText,
                "Smtp:Security must be StartTls or SslOnConnect outside Development, so no message goes to the relay in plain text; set Smtp:AllowPlainText=true only for a test relay.")
            .ValidateOnStart();
        builder.Services.AddOptions<NotificationKeysOptions>().BindConfiguration(NotificationKeysOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<MessageTemplates>();
        builder.Services.AddSingleton<AddressHasher>();
        builder.Services.AddSingleton<UnsubscribeLinks>();
        builder.Services.AddScoped<MessageQueue>();
        builder.Services.AddHostedService<MailSender>();
        builder.Services.AddOptions<PolicyNoticeOptions>().BindConfiguration(PolicyNoticeOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHostedService<PolicyNoticeFanOut>();
        return builder;
    }
}
