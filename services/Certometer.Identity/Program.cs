using Certometer.Auth;
using Certometer.Hosting;
using Certometer.Identity;
using Certometer.Identity.Data;
using Certometer.Identity.PersonalData;

var builder = WebApplication.CreateBuilder(args);

builder.AddCertometerService<IdentityDbContext, IdentitySubjectData>(new(PlatformApi.Account, "identitydb", IdentityPersonalData.Inventory)
{
    // Identity validates the tokens it issues itself, in-process.
    LocalTokenValidation = validation => validation.UseLocalServer(),
    Features = features => features.AddIdentityService(),
    Consumers = bus => bus.AddIdentityConsumers(),
});

var app = builder.Build();

app.UseCertometerService();
app.MapIdentityEndpoints();

app.Run();

/// <summary>Entry point; public so integration tests can host the real service.</summary>
public partial class Program;
