using Certometer.Contracts.Privacy;
using Certometer.Persistence;
using Certometer.TestInfrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Certometer.HolderContract.Tests;

public sealed class AnswerSigningKeyTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("bm90IGEga2V5")]
    // The public half, where the private key belongs.
    [InlineData(RunningService.HolderPublicKey)]
    public async Task A_holder_without_a_usable_answer_signing_key_refuses_to_start_and_names_the_setting(string? key)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:holder"] = "Host=127.0.0.1;Port=1;Database=none",
            ["PersonalData:TombstoneKey"] = RunningService.TombstoneKey,
            ["PersonalData:PrivacyRightsPublicKey"] = RunningService.PrivacyRightsPublicKey,
            ["PersonalData:AnswerSigningKey"] = key,
        });
        builder.AddServiceDatabase<HolderDbContext>("holder");
        builder.AddPersonalDataHolder<HolderDbContext>(
            new("startup-holder", [new("notes", ["text"], "Testing start-up.", ErasureAction.Erase, Exported: true)], "Stops processing."));
        using var host = builder.Build();

        var failure = await Should.ThrowAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        failure.Message.ShouldContain("PersonalData:AnswerSigningKey");
    }
}
