using Certometer.Auth;
using Certometer.Messaging;
using Certometer.Privacy;
using Certometer.PrivacyRights.Audit;
using Certometer.PrivacyRights.Consents;
using Certometer.PrivacyRights.Data;
using Certometer.PrivacyRights.Inventory;
using Certometer.PrivacyRights.Policies;
using Certometer.PrivacyRights.Privacy;
using Certometer.PrivacyRights.Requests;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPlatformAuthentication(PlatformApi.Privacy);
builder.AddServiceDatabase<PrivacyRightsDbContext>("privacydb");
builder.AddPersonalDataHolder<PrivacyRightsDbContext>(PrivacyRightsPersonalData.Inventory);
builder.Services.AddHostedService<InventoryRefresh>();
builder.AddPrivacyRequests();
builder.AddMessaging<PrivacyRightsDbContext>(PrivacyRightsPersonalData.Inventory.Service, bus =>
{
    bus.AddPersonalDataHolderConsumers<PrivacyRightsDbContext>();
    bus.AddConsumer<PersonalDataInventoryDeclaredConsumer>();
    bus.AddConsumer<ConsentChoicesRecordedConsumer>();
});

var app = builder.Build();

app.MapDefaultEndpoints();
app.UsePlatformAuthentication();
app.MapInventoryEndpoints();
app.MapSubjectRequestEndpoints();
app.MapComplianceRequestEndpoints();
app.MapAuditEndpoints();
app.MapConsentEndpoints();
app.MapPolicyEndpoints();

app.Run();

/// <summary>Entry point; public so integration tests can host the real service.</summary>
public partial class Program;
