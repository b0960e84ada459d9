using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Certometer.TestInfrastructure;

/// <summary>Starts a real service in-process on the given database and broker, ready for tests to publish to.</summary>
public static class RunningService
{
    /// <summary>The erasure tombstones' key every test host uses (a service refuses to start without one outside Development).</summary>
    public const string TombstoneKey = "test-tombstone-key-0123456789abcdef0123456789";

    public static async Task<WebApplicationFactory<TProgram>> StartAsync<TProgram>(
        string environment, string connectionName, string database, string broker, Action<IWebHostBuilder>? configure = null)
        where TProgram : class
    {
        var factory = new WebApplicationFactory<TProgram>().WithWebHostBuilder(host =>
        {
            host.UseEnvironment(environment)
                .UseSetting($"ConnectionStrings:{connectionName}", database)
                .UseSetting("ConnectionStrings:messaging", broker)
                .UseSetting("PersonalData:TombstoneKey", TombstoneKey);
            configure?.Invoke(host);
        });

        // Creating a client starts the host: migrations, the inventory declaration, the dispatcher and the bus.
        factory.CreateClient().Dispose();

        // Tests publish straight to the broker; before the service's queues are bound, the broker would drop that.
        var health = await factory.Services.GetRequiredService<IBusControl>()
            .WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60));
        if (health != BusHealthStatus.Healthy)
        {
            await factory.DisposeAsync();
            throw new InvalidOperationException($"The {typeof(TProgram).Assembly.GetName().Name} bus did not become healthy ({health}).");
        }

        return factory;
    }
}
