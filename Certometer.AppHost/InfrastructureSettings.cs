using Microsoft.Extensions.Configuration;

namespace Certometer.AppHost;

/// <summary>Where the stack's containers come from and what survives a restart. Section <c>Infrastructure</c>.</summary>
/// <remarks>
/// <c>deploy/local/prepare.sh</c> sets <c>Infrastructure__Images=LocalStandIns</c> on machines that cannot pull
/// official images and builds the stand-ins from Debian packages; anywhere else the official images are used.
/// </remarks>
internal sealed record InfrastructureSettings(
    ContainerImageSource Images,
    ContainerImageName PostgresImage,
    ContainerImageName RabbitMqImage,
    bool PersistData,
    bool FixedPorts)
{
    public static InfrastructureSettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Infrastructure");
        var images = section["Images"] is { Length: > 0 } source
            ? Enum.Parse<ContainerImageSource>(source, ignoreCase: true)
            : ContainerImageSource.Official;
        return new InfrastructureSettings(
            images,
            ContainerImageName.Parse(section["PostgresImage"] ?? "certometer/postgres:15"),
            ContainerImageName.Parse(section["RabbitMqImage"] ?? "certometer/rabbitmq:3.10-management"),
            // Tests start throwaway stacks: no volumes to collide with an operator's data, no fixed ports to collide with a running stack.
            PersistData: section.GetValue("PersistData", defaultValue: true),
            FixedPorts: section.GetValue("FixedPorts", defaultValue: true));
    }
}

/// <summary>Official images from a registry, or stand-ins built locally from Debian packages.</summary>
internal enum ContainerImageSource
{
    Official,
    LocalStandIns,
}

/// <summary>An image reference split into the parts Aspire's <c>WithImage</c> takes.</summary>
internal sealed record ContainerImageName(string Image, string Tag)
{
    public static ContainerImageName Parse(string reference)
    {
        var separator = reference.LastIndexOf(':');
        return separator > reference.LastIndexOf('/')
            ? new ContainerImageName(reference[..separator], reference[(separator + 1)..])
            : new ContainerImageName(reference, "latest");
    }
}
