using Certometer.PrivacyRights.Portability;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Certometer.PrivacyRights.UnitTests.Portability;

public sealed class DeliveryTargetPolicyTests
{
    [Theory]
    [InlineData("https://receiver.example/import", null)]
    [InlineData("https://receiver.example:443/import?batch=7", null)]
    [InlineData("HTTPS://Receiver.Example/import", null)]
    [InlineData("https://8.8.8.8/import", null)]
    [InlineData("https://[2606:4700:4700::1111]/import", null)]
    [InlineData("http://receiver.example/import", TargetRefusalReason.NotHttps)]
    [InlineData("ftp://receiver.example/import", TargetRefusalReason.NotHttps)]
    [InlineData("file:///etc/passwd", TargetRefusalReason.NotHttps)]
    [InlineData("gopher://receiver.example:443/", TargetRefusalReason.NotHttps)]
    [InlineData("https://user:secret@receiver.example/import", TargetRefusalReason.HasUserInfo)]
    [InlineData("https://user@receiver.example/import", TargetRefusalReason.HasUserInfo)]
    [InlineData("https://receiver.example:8443/import", TargetRefusalReason.PortNotAllowed)]
    [InlineData("https://receiver.example:80/import", TargetRefusalReason.PortNotAllowed)]
    [InlineData("https://127.0.0.1/import", TargetRefusalReason.ForbiddenAddress)]
    [InlineData("https://127.1.2.3/import", TargetRefusalReason.ForbiddenAddress)]
    [InlineData("https://[::1]/import", TargetRefusalReason.ForbiddenAddress)]
    [InlineData("https://[::ffff:127.0.0.1]/import", TargetRefusalReason.ForbiddenAddress)]
    [InlineData("https://[::ffff:169.254.169.254]/latest/meta-data", TargetRefusalReason.ForbiddenAddress)]
    [InlineData("https://169.254.169.254/latest/meta-data", TargetRefusalReason.ForbiddenAddress)]
    [InlineData("https://10.1.2.3/import", TargetRefusalReason.ForbiddenAddress)]
    [InlineData("https://172.20.0.1/import", TargetRefusalReason.ForbiddenAddress)]
    [InlineData("https://192.168.1.1/import", TargetRefusalReason.ForbiddenAddress)]
    [InlineData("https://100.64.0.1/import", TargetRefusalReason.ForbiddenAddress)]
    [InlineData("https://0.0.0.0/import", TargetRefusalReason.ForbiddenAddress)]
    [InlineData("https://255.255.255.255/import", TargetRefusalReason.ForbiddenAddress)]
    [InlineData("https://224.0.0.1/import", TargetRefusalReason.ForbiddenAddress)]
    [InlineData("https://[fd00::1]/import", TargetRefusalReason.ForbiddenAddress)]
    [InlineData("https://[fe80::1]/import", TargetRefusalReason.ForbiddenAddress)]
    [InlineData("https://[::]/import", TargetRefusalReason.ForbiddenAddress)]
    [InlineData("https://[ff02::1]/import", TargetRefusalReason.ForbiddenAddress)]
    // Shorthand and numeric spellings of 127.0.0.1 that URL parsers turn into the address itself.
    [InlineData("https://2130706433/import", TargetRefusalReason.ForbiddenAddress)]
    [InlineData("https://0x7f000001/import", TargetRefusalReason.ForbiddenAddress)]
    [InlineData("https://127.1/import", TargetRefusalReason.ForbiddenAddress)]
    [InlineData("https://0177.0.0.1/import", TargetRefusalReason.ForbiddenAddress)]
    [InlineData("receiver.example/import", TargetRefusalReason.NotAnAbsoluteUrl)]
    [InlineData("", TargetRefusalReason.NotAnAbsoluteUrl)]
    [InlineData("   ", TargetRefusalReason.NotAnAbsoluteUrl)]
    public void Targets_are_checked_before_any_work(string target, TargetRefusalReason? expected)
    {
        var refusal = Policy().Check(target, out var accepted);

        ((TargetRefusalReason?)refusal?.Reason).ShouldBe(expected);
        (refusal is null).ShouldBe(expected is null);
        (accepted is null).ShouldBe(expected is not null);
    }

    [Fact]
    public void A_host_name_passes_the_check_before_work_because_only_the_connection_knows_its_address()
    {
        Policy().Check(new Uri("https://localhost/import")).ShouldBeNull();
    }

    [Fact]
    public void Configured_ports_replace_443_rather_than_adding_to_it()
    {
        var policy = Policy(("AllowedPorts:0", "8443"));

        policy.Check(new Uri("https://receiver.example:8443/import")).ShouldBeNull();
        policy.Check(new Uri("https://receiver.example/import"))!.Reason.ShouldBe(TargetRefusalReason.PortNotAllowed);
    }

    [Fact]
    public void The_loopback_opt_in_admits_loopback_literals_and_nothing_else_that_is_forbidden()
    {
        var policy = Policy(("AllowLoopbackForTesting", "true"));

        policy.Check(new Uri("https://127.0.0.1/import")).ShouldBeNull();
        policy.Check(new Uri("https://[::1]/import")).ShouldBeNull();
        policy.Check(new Uri("https://10.0.0.1/import"))!.Reason.ShouldBe(TargetRefusalReason.ForbiddenAddress);
        policy.Check(new Uri("https://169.254.169.254/import"))!.Reason.ShouldBe(TargetRefusalReason.ForbiddenAddress);
    }

    [Fact]
    public void A_refusal_becomes_a_validation_problem_naming_the_field_and_the_reason()
    {
        var refusal = Policy().Check("https://169.254.169.254/latest/meta-data", out _)!;

        var problem = refusal.ToValidationProblem("receiverUrl");

        problem.StatusCode.ShouldBe(StatusCodes.Status400BadRequest);
        problem.ProblemDetails.Errors["receiverUrl"].ShouldBe([refusal.Detail]);
        refusal.Detail.ShouldContain("link-local");
        refusal.Detail.ShouldNotContain("meta-data");
    }

    [Theory]
    [InlineData("0b9f7c4e-1111-4a2b-9c3d-5e6f7a8b9c0d", "\"0b9f7c4e-1111-4a2b-9c3d-5e6f7a8b9c0d\"")]
    [InlineData("a\"b\\c", "\"a\\\"b\\\\c\"")]
    public void The_idempotency_key_is_the_request_id_as_a_structured_field_string(string requestId, string header)
    {
        PortabilityDelivery.IdempotencyKeyOf(requestId).ShouldBe(header);
    }

    [Theory]
    [InlineData("")]
    [InlineData("line\nbreak")]
    [InlineData("naïve")]
    public void A_request_id_that_cannot_be_a_header_value_is_refused(string requestId)
    {
        Should.Throw<ArgumentException>(() => PortabilityDelivery.IdempotencyKeyOf(requestId));
    }

    private static DeliveryTargetPolicy Policy(params (string Key, string Value)[] settings)
    {
        var options = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create<string, string?>(s.Key, s.Value)))
            .Build()
            .Get<PortabilityDeliveryOptions>() ?? new PortabilityDeliveryOptions();
        return new DeliveryTargetPolicy(Options.Create(options));
    }
}
