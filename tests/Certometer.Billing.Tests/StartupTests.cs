using Certometer.TestInfrastructure;

namespace Certometer.Billing.Tests;

public sealed class StartupTests(BillingService billing)
{
    [Theory]
    [InlineData("Billing:Gateway:WebhookSecret")]
    [InlineData("Billing:ErasedBuyers:PseudonymKey")]
    public async Task Outside_Development_a_missing_secret_stops_the_service_with_a_message_naming_it(string missing)
    {
        var settings = new Dictionary<string, string>
        {
            ["Billing:Gateway:Provider"] = "Sandbox",
            ["Billing:Gateway:AllowSandbox"] = "true",
            ["Billing:Gateway:WebhookSecret"] = BillingService.WebhookSecret,
            ["Billing:ErasedBuyers:PseudonymKey"] = "test-pseudonym-key-0123456789abcdef0123456789",
        };
        settings.Remove(missing);

        var failure = await Should.ThrowAsync<Exception>(() => RunningService.StartAsync<Program>(
            "Production", "billingdb", billing.Database, billing.Broker, host =>
            {
                host.UseTestIssuer();
                foreach (var (key, value) in settings)
                {
                    host.UseSetting(key, value);
                }
            }));

        failure.ToString().ShouldContain(missing);
    }

    [Fact]
    public async Task Outside_Development_the_sandbox_gateway_stops_the_service_unless_a_test_environment_allows_it()
    {
        var failure = await Should.ThrowAsync<Exception>(() => RunningService.StartAsync<Program>(
            "Production", "billingdb", billing.Database, billing.Broker, host => host
                .UseTestIssuer()
                .UseSetting("Billing:Gateway:Provider", "Sandbox")
                .UseSetting("Billing:Gateway:WebhookSecret", BillingService.WebhookSecret)
                .UseSetting("Billing:ErasedBuyers:PseudonymKey", "test-pseudonym-key-0123456789abcdef0123456789")));

        failure.ToString().ShouldContain("Billing:Gateway:AllowSandbox");
    }
}
