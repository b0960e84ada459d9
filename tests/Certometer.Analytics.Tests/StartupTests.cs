using Certometer.TestInfrastructure;
using Microsoft.Extensions.Options;

namespace Certometer.Analytics.Tests;

public sealed class StartupTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("too-short")]
    public void Analytics_refuses_to_start_without_a_long_pseudonym_key_and_names_the_setting(string? key)
    {
        var failure = StartFailureWith(new() { ["Analytics:PseudonymKey"] = key });

        failure.ShouldBeOfType<InvalidOperationException>().Message.ShouldContain("Analytics:PseudonymKey");
    }

    [Fact]
    public void Analytics_refuses_to_start_with_a_coarse_location_range_that_does_not_parse()
    {
        var failure = StartFailureWith(new()
        {
            ["Analytics:PseudonymKey"] = AnalyticsService.PseudonymKey,
            ["Analytics:CoarseLocation:Networks:0:Network"] = "203.0.113.0/99",
            ["Analytics:CoarseLocation:Networks:0:Region"] = "ZZ",
        });

        failure.ShouldBeOfType<OptionsValidationException>().Message.ShouldContain("Analytics:CoarseLocation:Networks:0:Network");
    }

    [Fact]
    public void Analytics_refuses_to_start_without_the_address_of_the_subject_key_store_and_names_the_setting()
    {
        var failure = StartFailureWith(new()
        {
            ["Analytics:PseudonymKey"] = AnalyticsService.PseudonymKey,
            ["PersonalData:SubjectKeys:Address"] = null,
        });

        failure.ShouldBeOfType<OptionsValidationException>().Message.ShouldContain("PersonalData:SubjectKeys:Address");
    }

    /// <summary>Starts Analytics through its real entry point, outside Development, with <paramref name="settings"/> added.</summary>
    private static Exception StartFailureWith(Dictionary<string, string?> settings)
    {
        Dictionary<string, string?> all = new()
        {
            ["PersonalData:TombstoneKey"] = RunningService.TombstoneKey,
            ["PersonalData:PrivacyRightsPublicKey"] = RunningService.PrivacyRightsPublicKey,
            ["PersonalData:AnswerSigningKey"] = RunningService.HolderSigningKey,
            ["PersonalData:SubjectKeys:Address"] = "http://privacy-rights.test/",
            ["Identity:Issuer"] = "http://identity.test/",
            ["ConnectionStrings:analyticsdb"] = "Host=127.0.0.1;Port=1;Database=none",
            ["ConnectionStrings:messaging"] = "amqp://guest:guest@127.0.0.1:1/",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return ServiceEntryPoint.StartFailure<Program>(all);
    }
}
