using Certometer.Auth;
using Certometer.Hosting;
using Certometer.PrivacyRights;
using Certometer.PrivacyRights.Data;
using Certometer.PrivacyRights.PersonalData;

var builder = WebApplication.CreateBuilder(args);

builder.AddCertometerService<PrivacyRightsDbContext, PrivacyRightsSubjectData>(new(PlatformApi.Privacy, "privacydb", PrivacyRightsPersonalData.Inventory)
{
    Features = features => features.AddPrivacyRights(),
    Consumers = bus => bus.AddPrivacyRightsConsumers(),
});

var app = builder.Build();

app.UseCertometerService();
app.MapPrivacyRightsEndpoints();

app.Run();

/// <summary>Entry point; public so integration tests can host the real service.</summary>
public partial class Program;
