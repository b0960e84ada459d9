using Certometer.TestInfrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Certometer.Identity.Tests;

public sealed class StartupTests
{
    [Fact]
    public void Outside_Development_Identity_refuses_to_start_without_its_signing_certificate_and_says_which_setting_is_missing()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host => host
            .UseEnvironment("Production")
            .UseSetting("PersonalData:TombstoneKey", RunningService.TombstoneKey)
            .UseSetting("PersonalData:PrivacyRightsPublicKey", RunningService.PrivacyRightsPublicKey)
            .UseSetting("PersonalData:AnswerSigningKey", RunningService.HolderSigningKey)
            .UseSetting("ConnectionStrings:identitydb", "Host=127.0.0.1;Port=1;Database=none")
            .UseSetting("ConnectionStrings:messaging", "amqp://guest:guest@127.0.0.1:1/"));

        var failure = Should.Throw<InvalidOperationException>(() => factory.CreateClient());

        failure.Message.ShouldContain("Identity:SigningCertificate:Path");
        failure.Message.ShouldContain("Outside Development");
    }
}
