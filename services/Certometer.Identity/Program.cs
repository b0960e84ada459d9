using Certometer.Messaging;
using Certometer.Privacy;
using Certometer.Identity.Data;
using Certometer.Identity.Privacy;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddServiceDatabase<IdentityDbContext>("identitydb");
builder.AddPersonalDataHolder<IdentityDbContext>(IdentityPersonalData.Inventory);
builder.AddMessaging<IdentityDbContext>(IdentityPersonalData.Inventory.Service, bus => bus.AddPersonalDataHolderConsumers<IdentityDbContext>());

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
