namespace Certometer.AppHost;

/// <summary>The AppHost's few decisions that depend on the machine: which images, which volumes, which ports.</summary>
internal static class InfrastructureExtensions
{
    /// <summary>Uses the locally built stand-in image when the settings ask for it; leaves Aspire's official image otherwise.</summary>
    public static IResourceBuilder<T> WithInfrastructureImage<T>(
        this IResourceBuilder<T> resource, ContainerImageName standIn, InfrastructureSettings settings)
        where T : ContainerResource
    {
        if (settings.Images != ContainerImageSource.LocalStandIns)
        {
            return resource;
        }

        // Built by deploy/local/build-images.sh; there is nothing to pull, and trying would only fail slowly.
        return resource
            .WithImageRegistry(null)
            .WithImage(standIn.Image, standIn.Tag)
            .WithImagePullPolicy(ImagePullPolicy.Never);
    }

    /// <summary>Keeps data in a named volume across AppHost restarts; <c>deploy/local/wipe.sh</c> removes it.</summary>
    public static IResourceBuilder<T> WithNamedDataVolume<T>(
        this IResourceBuilder<T> resource, string volumeName, InfrastructureSettings settings)
        where T : ContainerResource
    {
        if (!settings.PersistData)
        {
            return resource;
        }

        return resource switch
        {
            IResourceBuilder<PostgresServerResource> postgres => (IResourceBuilder<T>)postgres.WithDataVolume(volumeName),
            IResourceBuilder<RabbitMQServerResource> rabbit => (IResourceBuilder<T>)rabbit.WithDataVolume(volumeName),
            _ => throw new NotSupportedException($"No data volume convention for {typeof(T).Name}."),
        };
    }

    public static IResourceBuilder<ProjectResource> WithFixedHttpPort(
        this IResourceBuilder<ProjectResource> project, int port, InfrastructureSettings settings) =>
        settings.FixedPorts ? project.WithEndpoint("http", endpoint => endpoint.Port = port) : project;
}
