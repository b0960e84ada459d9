using Certometer.Analytics;
using Certometer.Analytics.Collection;
using Certometer.Analytics.Data;
using Certometer.Analytics.Ingestion;
using Certometer.Analytics.PersonalData;
using Certometer.Analytics.Reports;
using Certometer.Auth;
using Certometer.HolderContract;
using Certometer.Messaging;
using Certometer.Persistence;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPlatformAuthentication(PlatformApi.Analytics);
builder.AddServiceDatabase<AnalyticsDbContext>("analyticsdb");
builder.AddAnalytics();
builder.AddPersonalDataHolder<AnalyticsDbContext, AnalyticsSubjectData>(AnalyticsPersonalData.Inventory);
builder.AddMessaging<AnalyticsDbContext>(AnalyticsPersonalData.Inventory.Service, bus =>
{
    bus.AddPersonalDataHolderConsumers<AnalyticsDbContext>();
    bus.AddConsumer<ConsentsInForceConsumer>();
});

var app = builder.Build();

app.MapDefaultEndpoints();
app.UsePlatformAuthentication();

app.MapIngestionEndpoints();
app.MapReportEndpoints();

app.Run();

/// <summary>Entry point; public so integration tests can host the real service.</summary>
public partial class Program;
