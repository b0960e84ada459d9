using Certometer.TestInfrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;

namespace Certometer.PrivacyRights.Tests;

public sealed class StartupTests
{
    [Fact]
    public void Without_an_audit_key_outside_Development_the_service_refuses_to_start_and_names_the_setting()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host => host
            .UseEnvironment("Production")
            .UseSetting("PersonalData:TombstoneKey", RunningService.TombstoneKey)
            .UseSetting("PersonalData:PrivacyRightsPublicKey", RunningService.PrivacyRightsPublicKey)
            .UseSetting("PrivacyRights:CommandSigningKey", RunningService.PrivacyRightsSigningKey)
            .UseSetting("Identity:Issuer", "http://identity.invalid/")
            .UseSetting("ConnectionStrings:privacydb", "Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none")
            .UseSetting("ConnectionStrings:messaging", "amqp://guest:guest@127.0.0.1:1/"));

        var failure = Should.Throw<OptionsValidationException>(() => factory.CreateClient());

        failure.Message.ShouldContain("PrivacyRights:AuditKey");
    }
}
