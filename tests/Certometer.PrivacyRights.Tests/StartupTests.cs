using Certometer.TestInfrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;

namespace Certometer.PrivacyRights.Tests;

public sealed class StartupTests
{
    [Theory]
    [InlineData("PrivacyRights:AuditKey")]
    [InlineData("PrivacyRights:AuditChainKey")]
    [InlineData("PrivacyRights:Audit:CheckpointSigningKey")]
    [InlineData("PrivacyRights:Audit:CheckpointDirectory")]
    public void Without_an_audit_secret_or_checkpoint_directory_outside_Development_the_service_refuses_to_start_and_names_the_setting(string missing)
    {
        using var factory = ProductionHostWith(new()
        {
            ["PrivacyRights:AuditKey"] = PrivacyRightsHost.AuditKey,
            ["PrivacyRights:AuditChainKey"] = PrivacyRightsHost.AuditChainKey,
            ["PrivacyRights:Audit:CheckpointSigningKey"] = PrivacyRightsHost.CheckpointSigningKey,
            ["PrivacyRights:Audit:CheckpointDirectory"] = Path.GetTempPath(),
            [missing] = "",
        });

        var failure = Should.Throw<OptionsValidationException>(() => factory.CreateClient());

        failure.Message.ShouldContain(missing);
    }

    [Fact]
    public void An_audit_chain_key_shorter_than_32_bytes_stops_the_service_naming_the_setting()
    {
        using var factory = ProductionHostWith(new()
        {
            ["PrivacyRights:AuditKey"] = PrivacyRightsHost.AuditKey,
            ["PrivacyRights:AuditChainKey"] = Convert.ToBase64String(new byte[16]),
            ["PrivacyRights:Audit:CheckpointSigningKey"] = PrivacyRightsHost.CheckpointSigningKey,
            ["PrivacyRights:Audit:CheckpointDirectory"] = Path.GetTempPath(),
        });

        var failure = Should.Throw<OptionsValidationException>(() => factory.CreateClient());

        failure.Message.ShouldContain("PrivacyRights:AuditChainKey");
    }

    private static WebApplicationFactory<Program> ProductionHostWith(Dictionary<string, string> settings) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseEnvironment("Production")
                .UseSetting("PersonalData:TombstoneKey", RunningService.TombstoneKey)
                .UseSetting("PersonalData:PrivacyRightsPublicKey", RunningService.PrivacyRightsPublicKey)
                .UseSetting("PrivacyRights:CommandSigningKey", RunningService.PrivacyRightsSigningKey)
                .UseSetting("Identity:Issuer", "http://identity.invalid/")
                .UseSetting("ConnectionStrings:privacydb", "Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none")
                .UseSetting("ConnectionStrings:messaging", "amqp://guest:guest@127.0.0.1:1/");
            foreach (var (key, value) in settings)
            {
                host.UseSetting(key, value);
            }
        });
}
