using System.Diagnostics;

namespace Certometer.TestInfrastructure;

/// <summary>
/// Takes a container of a running stack down and back up with the docker CLI, for tests and benchmarks of what an
/// outage does. The container id comes from the AppHost (its resource's <c>container.id</c> property).
/// </summary>
public static class DockerContainers
{
    /// <summary>Stops the container (2 s grace); its disk, and so its durable queues, stay for <see cref="StartAsync"/>.</summary>
    public static Task StopAsync(string containerId, CancellationToken cancellationToken) =>
        DockerAsync(cancellationToken, "stop", "--time", "2", containerId);

    public static Task StartAsync(string containerId, CancellationToken cancellationToken) =>
        DockerAsync(cancellationToken, "start", containerId);

    /// <summary>Freezes every process in the container: connections stay open but nothing answers, as on a host under memory pressure.</summary>
    public static Task PauseAsync(string containerId, CancellationToken cancellationToken) =>
        DockerAsync(cancellationToken, "pause", containerId);

    public static Task UnpauseAsync(string containerId, CancellationToken cancellationToken) =>
        DockerAsync(cancellationToken, "unpause", containerId);

    /// <summary>Stops the container and starts it again, as <see cref="StopAsync"/> then <see cref="StartAsync"/>.</summary>
    public static async Task RestartAsync(string containerId, CancellationToken cancellationToken)
    {
        await StopAsync(containerId, cancellationToken);
        await StartAsync(containerId, cancellationToken);
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
