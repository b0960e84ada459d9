using Certometer.Analytics;
using Certometer.Analytics.Data;
using Certometer.Analytics.PersonalData;
using Certometer.Auth;
using Certometer.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddCertometerService<AnalyticsDbContext, AnalyticsSubjectData>(new(PlatformApi.Analytics, "analyticsdb", AnalyticsPersonalData.Inventory)
{
    Features = features => features.AddAnalytics(),
    Consumers = bus => bus.AddAnalyticsConsumers(),
});

var app = builder.Build();

app.UseCertometerService();
app.MapAnalyticsEndpoints();

app.Run();

/// <summary>Entry point; public so integration tests can host the real service.</summary>
public partial class Program;
