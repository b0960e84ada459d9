using System.Net;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Certometer.PrivacyRights.Portability;

/// <summary>Why a delivery target was refused.</summary>
public enum TargetRefusalReason
{
    NotAnAbsoluteUrl,
    NotHttps,
    HasUserInfo,
    PortNotAllowed,
    /// <summary>The URL names a forbidden IP address literally.</summary>
    ForbiddenAddress,
    /// <summary>The host name resolved, at connect time, to at least one forbidden address.</summary>
    ResolvesToForbiddenAddress,
}

/// <summary>A refused delivery target: the reason, and a sentence safe to show the caller and to log.</summary>
public sealed record TargetRefusal(TargetRefusalReason Reason, string Detail)
{
    /// <summary>The RFC 7807 answer an endpoint gives for a refused target, naming the request field it came from.</summary>
    public ValidationProblem ToValidationProblem(string field = "target") =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [Detail] }, title: "This delivery target is not allowed.");
}

/// <summary>
/// Checks a delivery target before any work starts, so an endpoint can answer a clear problem at once. Host names are
/// not resolved here: the check at connect time (<see cref="VettedConnections"/>) is the authority, because DNS may
/// answer differently by then.
/// </summary>
public sealed class DeliveryTargetPolicy(IOptions<PortabilityDeliveryOptions> options)
{
    private readonly PortabilityDeliveryOptions _options = options.Value;

    /// <summary>Parses and checks a target as a caller typed it; <paramref name="target"/> is set only when it is allowed.</summary>
    public TargetRefusal? Check(string? text, out Uri? target)
    {
        target = null;
        if (string.IsNullOrWhiteSpace(text) || !Uri.TryCreate(text.Trim(), UriKind.Absolute, out var parsed))
        {
            return new(TargetRefusalReason.NotAnAbsoluteUrl, "The target must be an absolute https:// URL.");
        }

        var refusal = Check(parsed);
        if (refusal is null)
        {
            target = parsed;
        }

        return refusal;
    }

    /// <summary>Null when <paramref name="target"/> may be tried; otherwise why not.</summary>
    public TargetRefusal? Check(Uri target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!target.IsAbsoluteUri)
        {
            return new(TargetRefusalReason.NotAnAbsoluteUrl, "The target must be an absolute https:// URL.");
        }

        if (target.Scheme != Uri.UriSchemeHttps)
        {
            return new(TargetRefusalReason.NotHttps, "The target must use https: the package is personal data and travels only encrypted.");
        }

        if (string.IsNullOrEmpty(target.Host))
        {
            return new(TargetRefusalReason.NotAnAbsoluteUrl, "The target must name a host.");
        }

        // Credentials in a URL end up in logs and proxies; a receiver that needs them must ask for another mechanism.
        if (!string.IsNullOrEmpty(target.UserInfo))
        {
            return new(TargetRefusalReason.HasUserInfo, "The target must not contain a user name or password.");
        }

        var ports = _options.PermittedPorts;
        if (!ports.Contains(target.Port))
        {
            return new(TargetRefusalReason.PortNotAllowed, $"The target must use port {string.Join(" or ", ports)}.");
        }

        if (target.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
            && IPAddress.TryParse(target.DnsSafeHost, out var literal)
            && !DestinationAddresses.IsPermitted(literal, _options.AllowLoopbackForTesting))
        {
            return ForbiddenAddress(literal);
        }

        if (target.HostNameType is not (UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6))
        {
            return new(TargetRefusalReason.NotAnAbsoluteUrl, "The target's host is neither a DNS name nor an IP address.");
        }

        return null;
    }

    internal static TargetRefusal ForbiddenAddress(IPAddress address) =>
        new(TargetRefusalReason.ForbiddenAddress, $"The target is a {Describe(DestinationAddresses.Categorize(address))} address; only public Internet addresses are allowed.");

    internal static TargetRefusal ResolvesToForbidden(string host, AddressCategory category) =>
        new(TargetRefusalReason.ResolvesToForbiddenAddress, $"The target host {host} resolves to a {Describe(category)} address; only public Internet addresses are allowed.");

    private static string Describe(AddressCategory category) => category switch
    {
        AddressCategory.Unspecified => "unspecified",
        AddressCategory.Loopback => "loopback",
        AddressCategory.Private => "private-network",
        AddressCategory.SharedAddressSpace => "carrier-grade NAT",
        AddressCategory.LinkLocal => "link-local",
        AddressCategory.UniqueLocal => "unique-local",
        AddressCategory.Multicast => "multicast",
        AddressCategory.Broadcast => "broadcast",
        AddressCategory.Documentation => "documentation",
        _ => "reserved",
    };
}
