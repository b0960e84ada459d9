using Certometer.Auth;
using Certometer.HolderContract;
using Certometer.Messaging;
using Certometer.Notifications.Data;
using Certometer.Notifications.Delivery;
using Certometer.Notifications.Marketing;
using Certometer.Notifications.PersonalData;
using Certometer.Notifications.PolicyNotices;
using Certometer.Notifications.Preferences;
using Certometer.Notifications.Recipients;
using Certometer.Persistence;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPlatformAuthentication(PlatformApi.Notifications);
builder.AddServiceDatabase<NotificationsDbContext>("notificationsdb");
builder.AddEmailDelivery();

builder.AddPersonalDataHolder<NotificationsDbContext, NotificationsSubjectData>(NotificationsPersonalData.Inventory);
builder.AddMessaging<NotificationsDbContext>(NotificationsPersonalData.Inventory.Service, bus =>
{
    bus.AddPersonalDataHolderConsumers<NotificationsDbContext>();
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
    bus.AddConsumer<PrivacyPolicyPublishedConsumer>();
    bus.AddConsumer<ObjectionToMarketingConsumer>();
    bus.AddConsumer<PrivacyRequestCompletedConsumer>();
    bus.AddConsumer<PrivacyRestrictionLiftApprovedConsumer>();
});

var app = builder.Build();

app.MapDefaultEndpoints();
app.UsePlatformAuthentication();

app.MapMyNotificationsEndpoints();
app.MapMarketingEndpoints();

app.Run();

/// <summary>Entry point; public so integration tests can host the real service.</summary>
public partial class Program;
