using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Certometer.PrivacyRights.Portability;

/// <summary>Thrown at connect time when a delivery target's host resolves to an address a delivery must never reach.</summary>
public sealed class DestinationRefusedException(TargetRefusal refusal) : Exception(refusal.Detail)
{
    public TargetRefusal Refusal { get; } = refusal;
}

/// <summary>
/// Opens the TCP connections of the delivery client: resolves the host itself, refuses if any answer is a forbidden
/// address, and connects only to the vetted addresses.
/// </summary>
/// <remarks>
/// This runs for every new connection, on the very addresses the socket connects to, so a DNS answer that changes
/// between a pre-flight check and the request (DNS rebinding) changes nothing. A host whose answers mix public and
/// forbidden addresses is refused outright: that mix is how rebinding attacks look.
/// </remarks>
public sealed class VettedConnections(IOptions<PortabilityDeliveryOptions> options)
{
    private readonly bool _allowLoopback = options.Value.AllowLoopbackForTesting;

    /// <summary>Fits <see cref="SocketsHttpHandler.ConnectCallback"/>.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var host = context.DnsEndPoint.Host;
        var addresses = await AddressesOfAsync(host, cancellationToken);
        var permitted = Vet(host, addresses, _allowLoopback);

        SocketException? lastFailure = null;
        foreach (var address in permitted)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException failure)
            {
                socket.Dispose();
                lastFailure = failure;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw lastFailure ?? new SocketException((int)SocketError.HostNotFound);
    }

    /// <summary>The addresses that may be connected to, in resolver order; throws if any of them is forbidden.</summary>
    public static IReadOnlyList<IPAddress> Vet(string host, IReadOnlyList<IPAddress> addresses, bool allowLoopback)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        foreach (var address in addresses)
        {
            if (!DestinationAddresses.IsPermitted(address, allowLoopback))
            {
                throw new DestinationRefusedException(
                    DeliveryTargetPolicy.ResolvesToForbidden(host, DestinationAddresses.Categorize(address)));
            }
        }

        return addresses;
    }

    private static async Task<IPAddress[]> AddressesOfAsync(string host, CancellationToken cancellationToken)
    {
        // An IPv6 literal may arrive with brackets; a literal needs no resolver, but is vetted all the same.
        var bare = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        return IPAddress.TryParse(bare, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(bare, cancellationToken);
    }
}
