using Certometer.Auth;
using Certometer.Catalog;
using Certometer.Catalog.Data;
using Certometer.Catalog.PersonalData;
using Certometer.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddCertometerService<CatalogDbContext, CatalogSubjectData>(new(PlatformApi.Catalog, "catalogdb", CatalogPersonalData.Inventory)
{
    Features = features => features.AddCatalog(),
    Consumers = bus => bus.AddCatalogConsumers(),
});

var app = builder.Build();

app.UseCertometerService();
app.MapCatalogEndpoints();

app.Run();

/// <summary>Entry point; public so integration tests can host the real service.</summary>
public partial class Program;
