using Certometer.Notifications.Delivery;
using Certometer.Notifications.Marketing;
using Certometer.Notifications.PolicyNotices;
using Certometer.Notifications.Preferences;
using Certometer.Notifications.Recipients;
using MassTransit;

namespace Certometer.Notifications;

/// <summary>Notifications' own services, the events it writes to people about, and its endpoint groups.</summary>
internal static class NotificationsRegistration
{
    public static IHostApplicationBuilder AddNotifications(this IHostApplicationBuilder builder) => builder.AddEmailDelivery();

    public static IBusRegistrationConfigurator AddNotificationsConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<LearnerRegisteredConsumer>();
        bus.AddConsumer<ConsentsInForceConsumer>();
        bus.AddConsumer<EnrollmentCreatedConsumer>();
        bus.AddConsumer<InvoiceIssuedConsumer>();
        bus.AddConsumer<PaymentDeclinedConsumer>();
        bus.AddConsumer<CertificateIssuedConsumer>();
        bus.AddConsumer<PrivacyRequestReceivedConsumer>();
        bus.AddConsumer<PrivacyRequestExtendedConsumer>();
        bus.AddConsumer<PrivacyRequestDeniedConsumer>();
        bus.AddConsumer<PrivacyRequestCancelledConsumer>();
        bus.AddConsumer<PrivacyRequestVerificationCodeAddressedConsumer>();
        bus.AddConsumer<EmailChangeRequestedConsumer>();
        bus.AddConsumer<SignUpConfirmationRequestedConsumer>();
        bus.AddConsumer<SignUpAttemptedForExistingAccountConsumer>();
        bus.AddConsumer<PrivacyPolicyPublishedConsumer>();
        bus.AddConsumer<ObjectionToMarketingConsumer>();
        bus.AddConsumer<PrivacyRequestCompletedConsumer>();
        bus.AddConsumer<PrivacyRestrictionLiftApprovedConsumer>();
        return bus;
    }

    public static IEndpointRouteBuilder MapNotificationsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapMyNotificationsEndpoints();
        app.MapMarketingEndpoints();
        return app;
    }
}
