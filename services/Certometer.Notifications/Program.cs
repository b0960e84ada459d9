using Certometer.Auth;
using Certometer.Messaging;
using Certometer.Privacy;
using Certometer.Notifications.Data;
using Certometer.Notifications.Privacy;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPlatformAuthentication(PlatformApi.Notifications);
builder.AddServiceDatabase<NotificationsDbContext>("notificationsdb");
builder.AddPersonalDataHolder<NotificationsDbContext>(NotificationsPersonalData.Inventory);
builder.AddMessaging<NotificationsDbContext>(NotificationsPersonalData.Inventory.Service, bus => bus.AddPersonalDataHolderConsumers<NotificationsDbContext>());

var app = builder.Build();

app.MapDefaultEndpoints();
app.UsePlatformAuthentication();

app.Run();
