using Certometer.Messaging;
using Certometer.Privacy;
using Certometer.Notifications.Data;
using Certometer.Notifications.Privacy;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddServiceDatabase<NotificationsDbContext>("notificationsdb");
builder.AddPersonalDataHolder<NotificationsDbContext>(NotificationsPersonalData.Inventory);
builder.AddMessaging<NotificationsDbContext>(NotificationsPersonalData.Inventory.Service, bus => bus.AddPersonalDataHolderConsumers<NotificationsDbContext>());

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
