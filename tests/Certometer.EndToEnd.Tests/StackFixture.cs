using Aspire.Hosting;
using Aspire.Hosting.Testing;

[assembly: AssemblyFixture(typeof(Certometer.EndToEnd.Tests.StackFixture))]

namespace Certometer.EndToEnd.Tests;

/// <summary>The whole AppHost, started once for the end-to-end tests: real PostgreSQL, real RabbitMQ, all six services.</summary>
public sealed class StackFixture : IAsyncLifetime
{
    public static readonly string[] Services = ["identity", "catalog", "billing", "notifications", "analytics", "privacy-rights"];

    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The stack has not started.");

    public async ValueTask InitializeAsync()
    {
        using var startup = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Certometer_AppHost>(
            // A throwaway stack: no named volumes to mix with an operator's data, no fixed ports to collide with a running stack.
            ["Infrastructure:PersistData=false", "Infrastructure:FixedPorts=false"],
            (options, _) => options.DisableDashboard = true,
            startup.Token);
        _app = await builder.BuildAsync(startup.Token);
        await _app.StartAsync(startup.Token);
        await Task.WhenAll(Services.Select(service => _app.ResourceNotifications.WaitForResourceHealthyAsync(service, startup.Token)));
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
