using Certometer.Notifications.Delivery;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Certometer.Notifications.UnitTests;

/// <summary>Whether the relay settings Notifications starts with may send mail in plain text, per environment.</summary>
public sealed class RelayEncryptionTests
{
    private const string TlsRefusal = "Smtp:Security must be StartTls or SslOnConnect outside Development";

    private static SmtpOptions Relay(string environment, string security, bool allowPlainText = false)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Smtp:Host"] = "relay.example.test",
            ["Smtp:Security"] = security,
            ["Smtp:AllowPlainText"] = allowPlainText ? "true" : "false",
        });
        builder.AddEmailDelivery();
        using var services = builder.Services.BuildServiceProvider();
        return services.GetRequiredService<IOptions<SmtpOptions>>().Value;
    }

    [Theory]
    [InlineData("None")]
    [InlineData("Auto")]
    [InlineData("StartTlsWhenAvailable")]
    public void Outside_Development_a_relay_connection_that_could_fall_back_to_plain_text_is_refused(string security)
    {
        Should.Throw<OptionsValidationException>(() => Relay(Environments.Production, security)).Message.ShouldContain(TlsRefusal);
    }

    [Theory]
    [InlineData("StartTls")]
    [InlineData("SslOnConnect")]
    public void Outside_Development_an_encrypted_relay_connection_is_accepted(string security)
    {
        Relay(Environments.Production, security).RequiresTls.ShouldBeTrue();
    }

    [Fact]
    public void Plain_text_is_accepted_in_Development_or_where_the_configuration_allows_it_for_a_test_relay()
    {
        Relay(Environments.Development, "None").RequiresTls.ShouldBeFalse();
        Relay("Test", "None", allowPlainText: true).AllowPlainText.ShouldBeTrue();
    }

    [Fact]
    public void Unless_configured_the_relay_connection_starts_TLS()
    {
        new SmtpOptions().RequiresTls.ShouldBeTrue();
    }
}
