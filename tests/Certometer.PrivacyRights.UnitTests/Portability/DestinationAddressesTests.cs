using System.Net;
using Certometer.PrivacyRights.Portability;

namespace Certometer.PrivacyRights.UnitTests.Portability;

public sealed class DestinationAddressesTests
{
    [Theory]
    // Public, including the addresses just outside every forbidden IPv4 range.
    [InlineData("8.8.8.8", AddressCategory.Public)]
    [InlineData("1.0.0.0", AddressCategory.Public)]
    [InlineData("9.255.255.255", AddressCategory.Public)]
    [InlineData("11.0.0.0", AddressCategory.Public)]
    [InlineData("100.63.255.255", AddressCategory.Public)]
    [InlineData("100.128.0.0", AddressCategory.Public)]
    [InlineData("126.255.255.255", AddressCategory.Public)]
    [InlineData("128.0.0.0", AddressCategory.Public)]
    [InlineData("169.253.255.255", AddressCategory.Public)]
    [InlineData("169.255.0.0", AddressCategory.Public)]
    [InlineData("172.15.255.255", AddressCategory.Public)]
    [InlineData("172.32.0.0", AddressCategory.Public)]
    [InlineData("192.167.255.255", AddressCategory.Public)]
    [InlineData("192.169.0.0", AddressCategory.Public)]
    [InlineData("223.255.255.255", AddressCategory.Public)]
    [InlineData("2606:4700:4700::1111", AddressCategory.Public)]
    [InlineData("2a00:1450:4001:80b::200e", AddressCategory.Public)]
    [InlineData("::ffff:8.8.8.8", AddressCategory.Public)]
    [InlineData("64:ff9b::808:808", AddressCategory.Public)]
    // Unspecified: "this network" reaches the local host on Linux.
    [InlineData("0.0.0.0", AddressCategory.Unspecified)]
    [InlineData("0.255.255.255", AddressCategory.Unspecified)]
    [InlineData("::", AddressCategory.Unspecified)]
    [InlineData("::ffff:0.0.0.0", AddressCategory.Unspecified)]
    // Loopback.
    [InlineData("127.0.0.0", AddressCategory.Loopback)]
    [InlineData("127.0.0.1", AddressCategory.Loopback)]
    [InlineData("127.255.255.255", AddressCategory.Loopback)]
    [InlineData("::1", AddressCategory.Loopback)]
    [InlineData("::ffff:127.0.0.1", AddressCategory.Loopback)]
    [InlineData("::ffff:127.1.2.3", AddressCategory.Loopback)]
    [InlineData("64:ff9b::7f00:1", AddressCategory.Loopback)]
    // RFC 1918 and IPv6 site-local.
    [InlineData("10.0.0.0", AddressCategory.Private)]
    [InlineData("10.255.255.255", AddressCategory.Private)]
    [InlineData("172.16.0.0", AddressCategory.Private)]
    [InlineData("172.31.255.255", AddressCategory.Private)]
    [InlineData("192.168.0.0", AddressCategory.Private)]
    [InlineData("192.168.255.255", AddressCategory.Private)]
    [InlineData("::ffff:10.0.0.1", AddressCategory.Private)]
    [InlineData("::ffff:172.16.0.1", AddressCategory.Private)]
    [InlineData("::ffff:192.168.1.1", AddressCategory.Private)]
    [InlineData("fec0::1", AddressCategory.Private)]
    // Carrier-grade NAT, RFC 6598.
    [InlineData("100.64.0.0", AddressCategory.SharedAddressSpace)]
    [InlineData("100.127.255.255", AddressCategory.SharedAddressSpace)]
    [InlineData("::ffff:100.64.0.1", AddressCategory.SharedAddressSpace)]
    // Link-local, where cloud metadata services answer.
    [InlineData("169.254.0.0", AddressCategory.LinkLocal)]
    [InlineData("169.254.169.254", AddressCategory.LinkLocal)]
    [InlineData("169.254.255.255", AddressCategory.LinkLocal)]
    [InlineData("::ffff:169.254.169.254", AddressCategory.LinkLocal)]
    [InlineData("64:ff9b::a9fe:a9fe", AddressCategory.LinkLocal)]
    [InlineData("fe80::", AddressCategory.LinkLocal)]
    [InlineData("fe80::1%2", AddressCategory.LinkLocal)]
    [InlineData("febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", AddressCategory.LinkLocal)]
    // Unique-local IPv6, including the AWS metadata service's IPv6 address.
    [InlineData("fc00::", AddressCategory.UniqueLocal)]
    [InlineData("fd00:ec2::254", AddressCategory.UniqueLocal)]
    [InlineData("fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", AddressCategory.UniqueLocal)]
    // Multicast and broadcast.
    [InlineData("224.0.0.0", AddressCategory.Multicast)]
    [InlineData("239.255.255.255", AddressCategory.Multicast)]
    [InlineData("::ffff:224.0.0.1", AddressCategory.Multicast)]
    [InlineData("ff02::1", AddressCategory.Multicast)]
    [InlineData("ff05::1:3", AddressCategory.Multicast)]
    [InlineData("255.255.255.255", AddressCategory.Broadcast)]
    [InlineData("::ffff:255.255.255.255", AddressCategory.Broadcast)]
    // Documentation.
    [InlineData("192.0.2.1", AddressCategory.Documentation)]
    [InlineData("198.51.100.1", AddressCategory.Documentation)]
    [InlineData("203.0.113.255", AddressCategory.Documentation)]
    [InlineData("2001:db8::1", AddressCategory.Documentation)]
    [InlineData("3fff::1", AddressCategory.Documentation)]
    // Reserved and special-purpose, including IPv6 forms that smuggle an IPv4 address by other means.
    [InlineData("192.0.0.8", AddressCategory.Reserved)]
    [InlineData("192.88.99.1", AddressCategory.Reserved)]
    [InlineData("198.18.0.0", AddressCategory.Reserved)]
    [InlineData("198.19.255.255", AddressCategory.Reserved)]
    [InlineData("240.0.0.1", AddressCategory.Reserved)]
    [InlineData("255.255.255.254", AddressCategory.Reserved)]
    [InlineData("::a00:1", AddressCategory.Reserved)]
    [InlineData("::7f00:1", AddressCategory.Reserved)]
    [InlineData("64:ff9b:1::a00:1", AddressCategory.Reserved)]
    [InlineData("100::1", AddressCategory.Reserved)]
    [InlineData("2001::1", AddressCategory.Reserved)]
    [InlineData("2002:c0a8:101::1", AddressCategory.Reserved)]
    [InlineData("5f00::1", AddressCategory.Reserved)]
    [InlineData("4000::1", AddressCategory.Reserved)]
    public void Every_address_falls_into_its_category(string address, AddressCategory expected)
    {
        DestinationAddresses.Categorize(IPAddress.Parse(address)).ShouldBe(expected);
    }

    [Theory]
    [InlineData("8.8.8.8", false, true)]
    [InlineData("2606:4700:4700::1111", false, true)]
    [InlineData("127.0.0.1", false, false)]
    [InlineData("::1", false, false)]
    [InlineData("127.0.0.1", true, true)]
    [InlineData("::1", true, true)]
    [InlineData("::ffff:127.0.0.1", true, true)]
    [InlineData("10.0.0.1", true, false)]
    [InlineData("169.254.169.254", true, false)]
    [InlineData("0.0.0.0", true, false)]
    [InlineData("fd00::1", true, false)]
    public void Only_public_addresses_are_permitted_and_loopback_only_when_opted_in(string address, bool allowLoopback, bool permitted)
    {
        DestinationAddresses.IsPermitted(IPAddress.Parse(address), allowLoopback).ShouldBe(permitted);
    }

    [Fact]
    public void A_host_resolving_to_any_forbidden_address_is_refused_even_beside_public_ones()
    {
        IPAddress[] rebinding = [IPAddress.Parse("93.184.215.14"), IPAddress.Parse("169.254.169.254")];

        var refused = Should.Throw<DestinationRefusedException>(() => VettedConnections.Vet("receiver.example", rebinding, allowLoopback: false));

        refused.Refusal.Reason.ShouldBe(TargetRefusalReason.ResolvesToForbiddenAddress);
        refused.Refusal.Detail.ShouldContain("link-local");
    }

    [Fact]
    public void A_host_resolving_only_to_public_addresses_keeps_every_address_in_resolver_order()
    {
        IPAddress[] addresses = [IPAddress.Parse("2606:4700:4700::1111"), IPAddress.Parse("93.184.215.14")];

        VettedConnections.Vet("receiver.example", addresses, allowLoopback: false).ShouldBe(addresses);
    }
}
