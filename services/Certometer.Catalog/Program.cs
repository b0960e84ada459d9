using Certometer.Auth;
using Certometer.Messaging;
using Certometer.Privacy;
using Certometer.Catalog.Data;
using Certometer.Catalog.Privacy;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPlatformAuthentication(PlatformApi.Catalog);
builder.AddServiceDatabase<CatalogDbContext>("catalogdb");
builder.AddPersonalDataHolder<CatalogDbContext>(CatalogPersonalData.Inventory);
builder.AddMessaging<CatalogDbContext>(CatalogPersonalData.Inventory.Service, bus => bus.AddPersonalDataHolderConsumers<CatalogDbContext>());

var app = builder.Build();

app.MapDefaultEndpoints();
app.UsePlatformAuthentication();

app.Run();
