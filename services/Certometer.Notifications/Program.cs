using Certometer.Auth;
using Certometer.Hosting;
using Certometer.Notifications;
using Certometer.Notifications.Data;
using Certometer.Notifications.PersonalData;

var builder = WebApplication.CreateBuilder(args);

builder.AddCertometerService<NotificationsDbContext, NotificationsSubjectData>(new(PlatformApi.Notifications, "notificationsdb", NotificationsPersonalData.Inventory)
{
    Features = features => features.AddNotifications(),
    Consumers = bus => bus.AddNotificationsConsumers(),
});

var app = builder.Build();

app.UseCertometerService();
app.MapNotificationsEndpoints();

app.Run();

/// <summary>Entry point; public so integration tests can host the real service.</summary>
public partial class Program;
