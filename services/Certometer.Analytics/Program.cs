using Certometer.Auth;
using Certometer.Messaging;
using Certometer.Privacy;
using Certometer.Analytics.Data;
using Certometer.Analytics.Privacy;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPlatformAuthentication(PlatformApi.Analytics);
builder.AddServiceDatabase<AnalyticsDbContext>("analyticsdb");
builder.AddPersonalDataHolder<AnalyticsDbContext>(AnalyticsPersonalData.Inventory);
builder.AddMessaging<AnalyticsDbContext>(AnalyticsPersonalData.Inventory.Service, bus => bus.AddPersonalDataHolderConsumers<AnalyticsDbContext>());

var app = builder.Build();

app.MapDefaultEndpoints();
app.UsePlatformAuthentication();

app.Run();
