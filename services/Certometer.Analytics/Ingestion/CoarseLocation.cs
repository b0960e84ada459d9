using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Certometer.Analytics.Ingestion;

/// <summary>Maps a client address to a coarse region (a country or wider area), the only thing Analytics keeps of it.</summary>
public interface ICoarseLocation
{
    /// <summary>The region code, or <see cref="CoarseLocations.Unknown"/>; never the address or anything finer than a country.</summary>
    string RegionOf(IPAddress? address);
}

/// <summary>The values every <see cref="ICoarseLocation"/> may answer besides real regions.</summary>
public static class CoarseLocations
{
    public const string Unknown = "unknown";
}

/// <summary>The configured address-range table (section <c>Analytics:CoarseLocation</c>).</summary>
public sealed class CoarseLocationOptions
{
    public const string SectionName = "Analytics:CoarseLocation";

    /// <summary>Address ranges and the region each lies in; the most specific range containing an address wins.</summary>
    public List<RegionNetwork> Networks { get; set; } = [];
}

/// <summary>One row of the table: a CIDR range (e.g. <c>198.51.100.0/24</c>) and its region (e.g. <c>CH</c> or <c>EU</c>).</summary>
public sealed class RegionNetwork
{
    public string Network { get; set; } = "";

    public string Region { get; set; } = "";
}

/// <summary>
/// An <see cref="ICoarseLocation"/> from a small configured CIDR table. No GeoIP database ships with the platform;
/// production registers an implementation backed by a licensed country database instead of this one.
/// </summary>
internal sealed class CidrRegionTable : ICoarseLocation
{
    private readonly (IPNetwork Network, string Region)[] _networks;

    public CidrRegionTable(IOptions<CoarseLocationOptions> options) =>
        _networks = [.. options.Value.Networks
            .Select(row => (Network: IPNetwork.Parse(row.Network), row.Region))
            .OrderByDescending(row => row.Network.PrefixLength)];

    public string RegionOf(IPAddress? address)
    {
        if (address is null)
        {
            return CoarseLocations.Unknown;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        foreach (var (network, region) in _networks)
        {
            if (network.Contains(address))
            {
                return region;
            }
        }

        return CoarseLocations.Unknown;
    }
}

/// <summary>Refuses to start with a range that does not parse, rather than silently locating nobody.</summary>
internal sealed partial class CoarseLocationOptionsValidation : IValidateOptions<CoarseLocationOptions>
{
    public ValidateOptionsResult Validate(string? name, CoarseLocationOptions options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.Networks.Count; i++)
        {
            var row = options.Networks[i];
            if (!IPNetwork.TryParse(row.Network, out _))
            {
                failures.Add($"{CoarseLocationOptions.SectionName}:Networks:{i}:Network '{row.Network}' is not a CIDR range.");
            }

            if (!RegionCode().IsMatch(row.Region ?? ""))
            {
                failures.Add($"{CoarseLocationOptions.SectionName}:Networks:{i}:Region must be 2-32 letters, digits or dashes.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[A-Za-z0-9-]{2,32}$")]
    private static partial Regex RegionCode();
}
