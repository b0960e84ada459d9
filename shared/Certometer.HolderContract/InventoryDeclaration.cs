using Certometer.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Certometer.HolderContract;

/// <summary>Declares the service's personal-data inventory through the outbox as the service starts.</summary>
/// <remarks>
/// Through the outbox rather than a direct publish: a service may start while the broker is down, and the
/// declaration must still reach PrivacyRights, because the erasure fan-out waits only for declared holders.
/// </remarks>
internal sealed class InventoryDeclaration<TDbContext>(
    IServiceScopeFactory scopeFactory,
    PersonalDataInventory inventory,
    TimeProvider clock) : IHostedService
    where TDbContext : DbContext
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        db.AddIntegrationEvent(inventory.ToDeclaration(clock.GetUtcNow()), clock);
        await db.SaveChangesAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
