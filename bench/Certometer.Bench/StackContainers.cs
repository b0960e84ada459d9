using Aspire.Hosting;
using Certometer.TestInfrastructure;

namespace Certometer.Bench;

/// <summary>The containers of the stack the bench started, as Docker knows them.</summary>
internal static class StackContainers
{
    /// <summary>Stops <paramref name="resource"/>'s container (2 s grace) and starts it again; its disk, and so its durable queues, stay.</summary>
    public static async Task RestartAsync(DistributedApplication app, string resource, CancellationToken cancellationToken)
    {
        var running = await app.ResourceNotifications.WaitForResourceAsync(
            resource, e => e.Snapshot.Properties.Any(p => p.Name == "container.id" && p.Value is string { Length: > 0 }), cancellationToken);
        var container = (string)running.Snapshot.Properties.First(p => p.Name == "container.id").Value!;
        await DockerContainers.RestartAsync(container, cancellationToken);
    }
}
