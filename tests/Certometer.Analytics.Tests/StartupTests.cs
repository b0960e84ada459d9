using Certometer.TestInfrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Certometer.Analytics.Tests;

public sealed class StartupTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("too-short")]
    public void Analytics_refuses_to_start_without_a_long_pseudonym_key_and_names_the_setting(string? key)
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseEnvironment("Production")
                .UseSetting("PersonalData:TombstoneKey", RunningService.TombstoneKey)
                .UseSetting("PersonalData:PrivacyRightsPublicKey", RunningService.PrivacyRightsPublicKey)
                .UseSetting("PersonalData:AnswerSigningKey", RunningService.HolderSigningKey)
                .UseSetting("Identity:Issuer", "http://identity.test/")
                .UseSetting("ConnectionStrings:analyticsdb", "Host=127.0.0.1;Port=1;Database=none")
                .UseSetting("ConnectionStrings:messaging", "amqp://guest:guest@127.0.0.1:1/");
            if (key is not null)
            {
                host.UseSetting("Analytics:PseudonymKey", key);
            }
        });

        var failure = Should.Throw<InvalidOperationException>(() => factory.CreateClient());

        failure.Message.ShouldContain("Analytics:PseudonymKey");
    }

    [Fact]
    public void Analytics_refuses_to_start_with_a_coarse_location_range_that_does_not_parse()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host => host
            .UseEnvironment("Production")
            .UseSetting("PersonalData:TombstoneKey", RunningService.TombstoneKey)
            .UseSetting("PersonalData:PrivacyRightsPublicKey", RunningService.PrivacyRightsPublicKey)
            .UseSetting("PersonalData:AnswerSigningKey", RunningService.HolderSigningKey)
            .UseSetting("Identity:Issuer", "http://identity.test/")
            .UseSetting("Analytics:PseudonymKey", AnalyticsService.PseudonymKey)
            .UseSetting("Analytics:CoarseLocation:Networks:0:Network", "203.0.113.0/99")
            .UseSetting("Analytics:CoarseLocation:Networks:0:Region", "ZZ")
            .UseSetting("ConnectionStrings:analyticsdb", "Host=127.0.0.1;Port=1;Database=none")
            .UseSetting("ConnectionStrings:messaging", "amqp://guest:guest@127.0.0.1:1/"));

        var failure = Should.Throw<Microsoft.Extensions.Options.OptionsValidationException>(() => factory.CreateClient());

        failure.Message.ShouldContain("Analytics:CoarseLocation:Networks:0:Network");
    }
}
