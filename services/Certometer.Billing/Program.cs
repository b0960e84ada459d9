using Certometer.Auth;
using Certometer.Billing;
using Certometer.Billing.Data;
using Certometer.Billing.PersonalData;
using Certometer.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddCertometerService<BillingDbContext, BillingSubjectData>(new(PlatformApi.Billing, "billingdb", BillingPersonalData.Inventory(builder.Configuration))
{
    Features = features => features.AddBilling(),
    Consumers = bus => bus.AddBillingConsumers(),
});

var app = builder.Build();

app.UseCertometerService();
app.MapBilling();

app.Run();

/// <summary>Entry point; public so integration tests can host the real service.</summary>
public partial class Program;
