using System.Net;
using System.Net.Sockets;

namespace Certometer.PrivacyRights.Portability;

/// <summary>What kind of network an IP address belongs to, as far as an outbound delivery is concerned.</summary>
public enum AddressCategory
{
    /// <summary>Globally routable: the only kind a package may be delivered to.</summary>
    Public,
    Unspecified,
    Loopback,
    /// <summary>RFC 1918 IPv4 networks and deprecated IPv6 site-local addresses.</summary>
    Private,
    /// <summary>100.64.0.0/10, carrier-grade NAT (RFC 6598): inside a provider's network, never the Internet.</summary>
    SharedAddressSpace,
    /// <summary>169.254.0.0/16 and fe80::/10; cloud metadata services (169.254.169.254) live here.</summary>
    LinkLocal,
    /// <summary>fc00::/7, the IPv6 counterpart of private networks.</summary>
    UniqueLocal,
    Multicast,
    Broadcast,
    Documentation,
    /// <summary>Special-purpose or unassigned space (benchmarking, protocol assignments, transition mechanisms, future use).</summary>
    Reserved,
}

/// <summary>Sorts IP addresses into <see cref="AddressCategory"/> so deliveries reach only the public Internet.</summary>
/// <remarks>
/// Addresses that embed an IPv4 address (IPv4-mapped ::ffff:a.b.c.d and the NAT64 well-known prefix 64:ff9b::/96)
/// are judged by the IPv4 address they reach, because that is where the packets go. Everything in IPv6 outside
/// global unicast (2000::/3) is refused, so a range nobody listed here cannot slip through.
/// </remarks>
public static class DestinationAddresses
{
    private static readonly (IPNetwork Network, AddressCategory Category)[] Ipv4Ranges =
    [
        (IPNetwork.Parse("0.0.0.0/8"), AddressCategory.Unspecified),
        (IPNetwork.Parse("10.0.0.0/8"), AddressCategory.Private),
        (IPNetwork.Parse("100.64.0.0/10"), AddressCategory.SharedAddressSpace),
        (IPNetwork.Parse("127.0.0.0/8"), AddressCategory.Loopback),
        (IPNetwork.Parse("169.254.0.0/16"), AddressCategory.LinkLocal),
        (IPNetwork.Parse("172.16.0.0/12"), AddressCategory.Private),
        (IPNetwork.Parse("192.0.0.0/24"), AddressCategory.Reserved),
        (IPNetwork.Parse("192.0.2.0/24"), AddressCategory.Documentation),
        (IPNetwork.Parse("192.88.99.0/24"), AddressCategory.Reserved),
        (IPNetwork.Parse("192.168.0.0/16"), AddressCategory.Private),
        (IPNetwork.Parse("198.18.0.0/15"), AddressCategory.Reserved),
        (IPNetwork.Parse("198.51.100.0/24"), AddressCategory.Documentation),
        (IPNetwork.Parse("203.0.113.0/24"), AddressCategory.Documentation),
        (IPNetwork.Parse("224.0.0.0/4"), AddressCategory.Multicast),
        (IPNetwork.Parse("255.255.255.255/32"), AddressCategory.Broadcast),
        (IPNetwork.Parse("240.0.0.0/4"), AddressCategory.Reserved),
    ];

    private static readonly IPNetwork Nat64WellKnown = IPNetwork.Parse("64:ff9b::/96");

    private static readonly IPNetwork GlobalUnicast = IPNetwork.Parse("2000::/3");

    private static readonly (IPNetwork Network, AddressCategory Category)[] Ipv6Ranges =
    [
        (IPNetwork.Parse("::/128"), AddressCategory.Unspecified),
        (IPNetwork.Parse("::1/128"), AddressCategory.Loopback),
        (IPNetwork.Parse("fc00::/7"), AddressCategory.UniqueLocal),
        (IPNetwork.Parse("fe80::/10"), AddressCategory.LinkLocal),
        (IPNetwork.Parse("fec0::/10"), AddressCategory.Private),
        (IPNetwork.Parse("ff00::/8"), AddressCategory.Multicast),
        // Inside 2000::/3 but not a place to deliver to: protocol assignments and Teredo, 6to4, documentation, SRv6.
        (IPNetwork.Parse("2001::/23"), AddressCategory.Reserved),
        (IPNetwork.Parse("2001:db8::/32"), AddressCategory.Documentation),
        (IPNetwork.Parse("2002::/16"), AddressCategory.Reserved),
        (IPNetwork.Parse("3fff::/20"), AddressCategory.Documentation),
        (IPNetwork.Parse("5f00::/16"), AddressCategory.Reserved),
    ];

    public static AddressCategory Categorize(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            return Categorize(address.MapToIPv4());
        }

        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => Lookup(Ipv4Ranges, address) ?? AddressCategory.Public,
            AddressFamily.InterNetworkV6 => CategorizeIpv6(address),
            _ => AddressCategory.Reserved,
        };
    }

    /// <summary>Whether a connection to <paramref name="address"/> may be opened; loopback only when a test or local run opted in.</summary>
    public static bool IsPermitted(IPAddress address, bool allowLoopback)
    {
        var category = Categorize(address);
        return category == AddressCategory.Public || (allowLoopback && category == AddressCategory.Loopback);
    }

    private static AddressCategory CategorizeIpv6(IPAddress address)
    {
        if (Nat64WellKnown.Contains(address))
        {
            Span<byte> bytes = stackalloc byte[16];
            address.TryWriteBytes(bytes, out _);
            return Categorize(new IPAddress(bytes[12..]));
        }

        if (Lookup(Ipv6Ranges, address) is { } category)
        {
            return category;
        }

        return GlobalUnicast.Contains(address) ? AddressCategory.Public : AddressCategory.Reserved;
    }

    private static AddressCategory? Lookup((IPNetwork Network, AddressCategory Category)[] ranges, IPAddress address)
    {
        foreach (var (network, category) in ranges)
        {
            if (network.Contains(address))
            {
                return category;
            }
        }

        return null;
    }
}
