using Certometer.Contracts.Privacy;
using Certometer.Messaging.Outbox;
using Certometer.PrivacyRights.Data;

namespace Certometer.PrivacyRights.Inventory;

/// <summary>At start-up, asks every holder to declare its inventory again, so the registry misses none.</summary>
/// <remarks>
/// A holder that started before PrivacyRights had ever bound its queue declared into the void. The request goes
/// through the outbox, which publishes only once this service is listening for the answers.
/// </remarks>
internal sealed class InventoryRefresh(IServiceScopeFactory scopeFactory, TimeProvider clock) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrivacyRightsDbContext>();
        db.AddIntegrationEvent(new PersonalDataInventoryRequested(clock.GetUtcNow()), clock);
        await db.SaveChangesAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
