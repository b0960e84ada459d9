using System.Diagnostics;
using Aspire.Hosting;

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
        await DockerAsync(cancellationToken, "stop", "--time", "2", container);
        await DockerAsync(cancellationToken, "start", container);
    }

    private static async Task DockerAsync(CancellationToken cancellationToken, params string[] arguments)
    {
        using var docker = Process.Start("docker", arguments) ?? throw new InvalidOperationException("docker could not be started.");
        await docker.WaitForExitAsync(cancellationToken);
        if (docker.ExitCode != 0)
        {
            throw new InvalidOperationException($"docker {string.Join(' ', arguments)} exited with {docker.ExitCode}.");
        }
    }
}
