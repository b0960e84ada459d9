using Certometer.TestInfrastructure;

namespace Certometer.Identity.Tests;

public sealed class StartupTests
{
    [Fact]
    public void Outside_Development_Identity_refuses_to_start_without_its_signing_certificate_and_says_which_setting_is_missing()
    {
        var failure = ServiceEntryPoint.StartFailure<Program>(new Dictionary<string, string?>
        {
            ["PersonalData:TombstoneKey"] = RunningService.TombstoneKey,
            ["PersonalData:PrivacyRightsPublicKey"] = RunningService.PrivacyRightsPublicKey,
            ["PersonalData:AnswerSigningKey"] = RunningService.HolderSigningKey,
            ["ConnectionStrings:identitydb"] = "Host=127.0.0.1;Port=1;Database=none",
            ["ConnectionStrings:messaging"] = "amqp://guest:guest@127.0.0.1:1/",
        });

        var refusal = failure.ShouldBeOfType<InvalidOperationException>();
        refusal.Message.ShouldContain("Identity:SigningCertificate:Path");
        refusal.Message.ShouldContain("Outside Development");
    }
}
