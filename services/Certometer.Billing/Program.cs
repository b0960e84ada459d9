using Certometer.Auth;
using Certometer.Billing;
using Certometer.Billing.Data;
using Certometer.Persistence;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPlatformAuthentication(PlatformApi.Billing);
builder.AddServiceDatabase<BillingDbContext>("billingdb");
builder.AddBilling();

var app = builder.Build();

app.MapDefaultEndpoints();
app.UsePlatformAuthentication();
app.MapBilling();

app.Run();

/// <summary>Entry point; public so integration tests can host the real service.</summary>
public partial class Program;
