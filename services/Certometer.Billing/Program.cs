using Certometer.Auth;
using Certometer.Messaging;
using Certometer.Privacy;
using Certometer.Billing.Data;
using Certometer.Billing.Privacy;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPlatformAuthentication(PlatformApi.Billing);
builder.AddServiceDatabase<BillingDbContext>("billingdb");
builder.AddPersonalDataHolder<BillingDbContext>(BillingPersonalData.Inventory);
builder.AddMessaging<BillingDbContext>(BillingPersonalData.Inventory.Service, bus => bus.AddPersonalDataHolderConsumers<BillingDbContext>());

var app = builder.Build();

app.MapDefaultEndpoints();
app.UsePlatformAuthentication();

app.Run();
