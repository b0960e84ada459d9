using Certometer.Auth;
using Certometer.HolderContract;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Certometer.Hosting;

/// <summary>
/// What one Certometer service is made of: the API its tokens must name, its database, the personal data it holds,
/// its own features and the events it consumes. <see cref="CertometerServiceComposition"/> turns it into a host.
/// </summary>
/// <param name="Api">The API whose audience and scope every token this service accepts must carry.</param>
/// <param name="Database">The connection name of the service's own PostgreSQL database.</param>
/// <param name="PersonalData">The inventory the service declares; its name also prefixes the service's queues.</param>
public sealed record CertometerService(PlatformApi Api, string Database, PersonalDataInventory PersonalData)
{
    /// <summary>
    /// The service's own registrations (options, handlers, hosted services). They run before the holder contract and
    /// the bus are added, so a service can supply what those add only when nothing else did (a local key store, say).
    /// </summary>
    public Action<IHostApplicationBuilder>? Features { get; init; }

    /// <summary>The consumers of the events the service reacts to, beside the holder contract's own.</summary>
    public Action<IBusRegistrationConfigurator>? Consumers { get; init; }

    /// <summary>Identity alone sets this: it validates the tokens it issues in-process rather than over HTTP.</summary>
    public Action<OpenIddictValidationBuilder>? LocalTokenValidation { get; init; }
}
