using Certometer.TestInfrastructure;
using Microsoft.Extensions.Options;

namespace Certometer.PrivacyRights.Tests;

public sealed class StartupTests
{
    [Theory]
    [InlineData("PrivacyRights:AuditKey")]
    [InlineData("PrivacyRights:AuditChainKey")]
    [InlineData("PrivacyRights:Audit:CheckpointSigningKey")]
    [InlineData("PrivacyRights:Audit:CheckpointDirectory")]
    [InlineData("PrivacyRights:SubjectKeys:CurrentMasterKey")]
    public void Without_an_audit_secret_checkpoint_directory_or_subject_key_master_key_outside_Development_the_service_refuses_to_start_and_names_the_setting(string missing)
    {
        var failure = StartFailureWith(new()
        {
            ["PrivacyRights:AuditKey"] = PrivacyRightsHost.AuditKey,
            ["PrivacyRights:AuditChainKey"] = PrivacyRightsHost.AuditChainKey,
            ["PrivacyRights:Audit:CheckpointSigningKey"] = PrivacyRightsHost.CheckpointSigningKey,
            ["PrivacyRights:Audit:CheckpointDirectory"] = Path.GetTempPath(),
            [missing] = "",
        });

        failure.Message.ShouldContain(missing);
    }

    [Fact]
    public void An_audit_chain_key_shorter_than_32_bytes_stops_the_service_naming_the_setting()
    {
        var failure = StartFailureWith(new()
        {
            ["PrivacyRights:AuditKey"] = PrivacyRightsHost.AuditKey,
            ["PrivacyRights:AuditChainKey"] = Convert.ToBase64String(new byte[16]),
            ["PrivacyRights:Audit:CheckpointSigningKey"] = PrivacyRightsHost.CheckpointSigningKey,
            ["PrivacyRights:Audit:CheckpointDirectory"] = Path.GetTempPath(),
        });

        failure.Message.ShouldContain("PrivacyRights:AuditChainKey");
    }

    /// <summary>Starts the service through its real entry point with <paramref name="settings"/> and returns the validation failure that stopped it.</summary>
    private static OptionsValidationException StartFailureWith(Dictionary<string, string?> settings)
    {
        Dictionary<string, string?> all = new()
        {
            ["PersonalData:TombstoneKey"] = RunningService.TombstoneKey,
            ["PersonalData:PrivacyRightsPublicKey"] = RunningService.PrivacyRightsPublicKey,
            ["PrivacyRights:CommandSigningKey"] = RunningService.PrivacyRightsSigningKey,
            ["PersonalData:AnswerSigningKey"] = RunningService.HolderSigningKey,
            ["PrivacyRights:SubjectKeys:CurrentMasterKey"] = "test-1",
            ["PrivacyRights:SubjectKeys:MasterKeys:test-1"] = RunningService.SubjectKeyMasterKey,
            ["Identity:Issuer"] = "http://identity.invalid/",
            ["ConnectionStrings:privacydb"] = "Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none",
            ["ConnectionStrings:messaging"] = "amqp://guest:guest@127.0.0.1:1/",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return ServiceEntryPoint.StartFailure<Program>(all).ShouldBeOfType<OptionsValidationException>();
    }
}
