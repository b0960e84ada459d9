using Certometer.Auth;
using Certometer.Catalog;
using Certometer.Catalog.Data;
using Certometer.Catalog.PersonalData;
using Certometer.HolderContract;
using Certometer.Messaging;
using Certometer.Persistence;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPlatformAuthentication(PlatformApi.Catalog);
builder.AddServiceDatabase<CatalogDbContext>("catalogdb");
builder.AddCatalogSubjectData();
builder.AddPersonalDataHolder<CatalogDbContext, CatalogSubjectData>(CatalogPersonalData.Inventory);
builder.AddMessaging<CatalogDbContext>(CatalogPersonalData.Inventory.Service, bus =>
{
    bus.AddPersonalDataHolderConsumers<CatalogDbContext>();
    bus.AddCatalogConsumers();
});

var app = builder.Build();

app.MapDefaultEndpoints();
app.UsePlatformAuthentication();
app.MapCatalogEndpoints();

app.Run();

/// <summary>Entry point; public so integration tests can host the real service.</summary>
public partial class Program;
