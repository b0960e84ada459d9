using System.Net;
using Certometer.Analytics.Ingestion;
using Microsoft.Extensions.Options;

namespace Certometer.Analytics.UnitTests;

public sealed class CoarseLocationTests
{
    private static CidrRegionTable Table(params (string Network, string Region)[] rows) =>
        new(Options.Create(new CoarseLocationOptions { Networks = [.. rows.Select(row => new RegionNetwork { Network = row.Network, Region = row.Region })] }));

    [Fact]
    public void The_most_specific_range_containing_an_address_decides_its_region_whatever_the_configured_order()
    {
        var table = Table(("198.51.0.0/16", "EU"), ("198.51.100.0/24", "CH"));

        table.RegionOf(IPAddress.Parse("198.51.100.7")).ShouldBe("CH");
        table.RegionOf(IPAddress.Parse("198.51.7.1")).ShouldBe("EU");
    }

    [Fact]
    public void An_IPv4_address_arriving_as_IPv6_is_located_like_the_IPv4_address()
    {
        Table(("203.0.113.0/24", "DE")).RegionOf(IPAddress.Parse("::ffff:203.0.113.9")).ShouldBe("DE");
    }

    [Fact]
    public void An_address_in_no_range_or_no_address_at_all_is_unknown()
    {
        var table = Table(("203.0.113.0/24", "DE"));

        table.RegionOf(IPAddress.Parse("192.0.2.1")).ShouldBe(CoarseLocations.Unknown);
        table.RegionOf(null).ShouldBe(CoarseLocations.Unknown);
    }

    [Fact]
    public void A_range_that_does_not_parse_or_a_region_that_is_not_a_code_stops_the_service_naming_the_row()
    {
        var options = new CoarseLocationOptions
        {
            Networks =
            [
                new RegionNetwork { Network = "203.0.113.0/24", Region = "DE" },
                new RegionNetwork { Network = "203.0.113.0/99", Region = "ZZ" },
                new RegionNetwork { Network = "198.51.100.0/24", Region = "Zürich!" },
            ],
        };

        var result = new CoarseLocationOptionsValidation().Validate(null, options);

        result.Failed.ShouldBeTrue();
        result.Failures.ShouldNotBeNull().Count().ShouldBe(2);
        result.FailureMessage.ShouldContain("Analytics:CoarseLocation:Networks:1:Network");
        result.FailureMessage.ShouldContain("Analytics:CoarseLocation:Networks:2:Region");
        result.FailureMessage.ShouldNotContain("Networks:0");
    }
}
