using Certometer.Auth;
using Certometer.Contracts.Privacy;
using Certometer.HolderContract;
using Certometer.Messaging;
using Certometer.Persistence;
using Certometer.PrivacyRights.Access;
using Certometer.PrivacyRights.Audit;
using Certometer.PrivacyRights.Consents;
using Certometer.PrivacyRights.Data;
using Certometer.PrivacyRights.Inventory;
using Certometer.PrivacyRights.PersonalData;
using Certometer.PrivacyRights.Policies;
using Certometer.PrivacyRights.Portability;
using Certometer.PrivacyRights.Requests;
using Certometer.PrivacyRights.SubjectKeys;
using Certometer.PrivacyRights.Workflow;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPlatformAuthentication(PlatformApi.Privacy);
builder.AddServiceDatabase<PrivacyRightsDbContext>("privacydb");
// PrivacyRights keeps every subject's sealing key; the other services ask it for them.
builder.AddSubjectKeyStore();
builder.AddPersonalDataHolder<PrivacyRightsDbContext, PrivacyRightsSubjectData>(PrivacyRightsPersonalData.Inventory);
// PrivacyRights alone signs the commands every holder acts on.
builder.Services.AddPrivacyCommandSigning();
builder.Services.AddHostedService<InventoryRefresh>();
builder.AddPrivacyRequests();
builder.AddAuditChain();
builder.AddRequestWorkflow();
builder.AddPortabilityDelivery();
builder.Services.AddScoped<ConsentLedger>();
builder.AddMessaging<PrivacyRightsDbContext>(PrivacyRightsPersonalData.Inventory.Service, bus =>
{
    bus.AddPersonalDataHolderConsumers<PrivacyRightsDbContext>();
    bus.AddConsumer<PersonalDataInventoryDeclaredConsumer>();
    bus.AddConsumer<ConsentChoicesRecordedConsumer>();
    bus.AddRequestWorkflowConsumers();
    bus.AddConsumer<PrivacyRequesterIdentifiedConsumer>();
});
// The lookup carries the one-time code to Identity; once the broker has it, the outbox keeps no copy.
builder.ForgetPayloadOnceSent<PrivacyRequestVerificationRequested>();

var app = builder.Build();

app.MapDefaultEndpoints();
app.UseRateLimiter();
app.UsePlatformAuthentication();
app.MapInventoryEndpoints();
app.MapSubjectRequestEndpoints();
app.MapComplianceRequestEndpoints();
app.MapAccessPackageEndpoints();
app.MapOnBehalfRequestEndpoints();
app.MapUnverifiedRequestEndpoints();
app.MapAuditEndpoints();
app.MapConsentEndpoints();
app.MapPolicyEndpoints();
app.MapSubjectKeyEndpoints();

app.Run();

/// <summary>Entry point; public so integration tests can host the real service.</summary>
public partial class Program;
