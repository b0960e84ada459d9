using System.Text;
using Certometer.PrivacyRights.Portability;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Certometer.PrivacyRights.Tests.Portability;

// Traffic goes only to the receiver on 127.0.0.1 (and to ::1, where nothing listens, when localhost resolves there too).
public sealed class PortabilityDeliveryTests(PackageReceiver receiver) : IClassFixture<PackageReceiver>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_delivery_reaches_the_receiver_with_the_package_as_json_and_the_request_id_as_idempotency_key()
    {
        await using var host = await DeliveryHost.StartAsync(receiver, allowLoopback: true);
        var (requestId, package) = Package();
        var querySecret = $"query-secret-{Guid.NewGuid():N}";

        var outcome = await host.Delivery.DeliverAsync(receiver.At("localhost", $"/receive?token={querySecret}"), package, requestId, Cancellation);

        outcome.Status.ShouldBe(DeliveryStatus.Delivered, outcome.Detail);
        outcome.Succeeded.ShouldBeTrue();
        outcome.ReceiverStatusCode.ShouldBe(202);
        Encoding.UTF8.GetString(outcome.ReceiverResponse.Span).ShouldBe("receipt-1");
        var received = receiver.ReceivedFor(requestId).ShouldHaveSingleItem();
        received.Path.ShouldBe("/receive");
        received.ContentType.ShouldBe("application/json; charset=utf-8");
        received.Body.ShouldBe(package.ToArray());
        received.IdempotencyKey.ShouldBe($"\"{requestId}\"");
        received.TraceContextHeaders.ShouldBeEmpty("our trace ids are none of another organisation's business");
        host.Logs.ShouldContain(line => line.Contains(requestId, StringComparison.Ordinal));
        host.Logs.ShouldNotContain(line => line.Contains(querySecret, StringComparison.Ordinal) || line.Contains(PackageMarker(requestId), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_redirect_is_reported_as_a_failure_and_never_followed()
    {
        await using var host = await DeliveryHost.StartAsync(receiver, allowLoopback: true);
        var (requestId, package) = Package();

        var outcome = await host.Delivery.DeliverAsync(receiver.At("localhost", "/moved"), package, requestId, Cancellation);

        outcome.Status.ShouldBe(DeliveryStatus.Redirected);
        outcome.Succeeded.ShouldBeFalse();
        outcome.ReceiverStatusCode.ShouldBe(302);
        receiver.ReceivedFor(requestId).Select(d => d.Path).ShouldBe(["/moved"]);
    }

    [Fact]
    public async Task Without_the_loopback_opt_in_a_host_name_that_resolves_to_loopback_is_refused_when_connecting()
    {
        await using var host = await DeliveryHost.StartAsync(receiver, allowLoopback: false);
        var (requestId, package) = Package();
        var target = receiver.At("localhost", "/receive");
        host.Services.GetRequiredService<DeliveryTargetPolicy>().Check(target).ShouldBeNull("a host name passes the check before work");

        var outcome = await host.Delivery.DeliverAsync(target, package, requestId, Cancellation);

        outcome.Status.ShouldBe(DeliveryStatus.Refused);
        outcome.Refusal!.Reason.ShouldBe(TargetRefusalReason.ResolvesToForbiddenAddress);
        outcome.Detail.ShouldContain("loopback");
        receiver.ReceivedFor(requestId).ShouldBeEmpty();
    }

    [Fact]
    public async Task Without_the_loopback_opt_in_a_loopback_literal_is_refused_before_any_connection()
    {
        await using var host = await DeliveryHost.StartAsync(receiver, allowLoopback: false);
        var (requestId, package) = Package();

        var outcome = await host.Delivery.DeliverAsync(receiver.At("127.0.0.1", "/receive"), package, requestId, Cancellation);

        outcome.Status.ShouldBe(DeliveryStatus.Refused);
        outcome.Refusal!.Reason.ShouldBe(TargetRefusalReason.ForbiddenAddress);
        receiver.ReceivedFor(requestId).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_busy_receiver_gets_the_retry_with_the_same_idempotency_key_and_body()
    {
        await using var host = await DeliveryHost.StartAsync(receiver, allowLoopback: true);
        var (requestId, package) = Package();

        var querySecret = $"query-secret-{Guid.NewGuid():N}";

        var outcome = await host.Delivery.DeliverAsync(receiver.At("127.0.0.1", $"/busy-once?token={querySecret}"), package, requestId, Cancellation);

        outcome.Status.ShouldBe(DeliveryStatus.Delivered, outcome.Detail);
        var copies = receiver.ReceivedFor(requestId);
        copies.Count.ShouldBe(2);
        copies.ShouldAllBe(copy => copy.Body.SequenceEqual(package.ToArray()));
        host.Logs.ShouldNotContain(line => line.Contains(querySecret, StringComparison.Ordinal) || line.Contains(PackageMarker(requestId), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_receiver_that_refuses_the_package_is_reported_with_its_status_and_not_asked_again()
    {
        await using var host = await DeliveryHost.StartAsync(receiver, allowLoopback: true);
        var (requestId, package) = Package();

        var outcome = await host.Delivery.DeliverAsync(receiver.At("127.0.0.1", "/reject"), package, requestId, Cancellation);

        outcome.Status.ShouldBe(DeliveryStatus.Rejected);
        outcome.ReceiverStatusCode.ShouldBe(422);
        receiver.ReceivedFor(requestId).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task An_answer_longer_than_the_limit_is_cut_at_the_limit()
    {
        await using var host = await DeliveryHost.StartAsync(receiver, allowLoopback: true, settings: ("MaxResponseBytes", "1024"));
        var (requestId, package) = Package();

        var outcome = await host.Delivery.DeliverAsync(receiver.At("127.0.0.1", "/verbose"), package, requestId, Cancellation);

        outcome.Status.ShouldBe(DeliveryStatus.Delivered);
        outcome.ReceiverResponse.Length.ShouldBe(1024);
        outcome.ReceiverResponseTruncated.ShouldBeTrue();
    }

    [Fact]
    public async Task A_receiver_that_never_answers_ends_as_timed_out()
    {
        // Long enough for the receiver to take the whole request in even on a loaded machine (with one second, the
        // client sometimes gave up while still sending, and the receiver recorded nothing); it then never answers.
        await using var host = await DeliveryHost.StartAsync(
            receiver, allowLoopback: true, settings: [("Timeout", "00:00:05"), ("AttemptTimeout", "00:00:05"), ("MaxAttempts", "1")]);
        var (requestId, package) = Package();

        var outcome = await host.Delivery.DeliverAsync(receiver.At("127.0.0.1", "/silent"), package, requestId, Cancellation);

        outcome.Status.ShouldBe(DeliveryStatus.TimedOut);
        receiver.ReceivedFor(requestId).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task A_receiver_whose_certificate_is_not_trusted_gets_nothing()
    {
        // Without the test's pin the client trusts what the system trusts, which a certificate made by the test is not.
        await using var host = await DeliveryHost.StartAsync(receiver, allowLoopback: true, trustReceiver: false);
        var (requestId, package) = Package();

        var outcome = await host.Delivery.DeliverAsync(receiver.At("localhost", "/receive"), package, requestId, Cancellation);

        outcome.Status.ShouldBe(DeliveryStatus.Unreachable);
        outcome.Detail.ShouldContain("TLS");
        receiver.ReceivedFor(requestId).ShouldBeEmpty();
    }

    [Fact]
    public async Task The_delivery_client_is_only_the_vetting_handler_behind_its_own_retry_with_no_service_discovery()
    {
        await using var host = await DeliveryHost.StartAsync(receiver, allowLoopback: true);

        var handler = host.Services.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(PortabilityDelivery.HttpClientName);

        var chain = new List<HttpMessageHandler>();
        for (HttpMessageHandler? current = handler; current is not null; current = (current as DelegatingHandler)?.InnerHandler)
        {
            chain.Add(current);
        }

        chain.OfType<DelegatingHandler>().Select(h => h.GetType().Name)
            .ShouldNotContain(name => name.Contains("Resolving", StringComparison.Ordinal));
        chain.Count(h => h.GetType().Name == "ResilienceHandler").ShouldBe(1);
        var primary = chain[^1].ShouldBeOfType<SocketsHttpHandler>();
        primary.AllowAutoRedirect.ShouldBeFalse();
        primary.UseProxy.ShouldBeFalse();
        primary.ConnectCallback.ShouldNotBeNull();
    }

    [Fact]
    public async Task The_loopback_opt_in_outside_Development_or_Test_stops_the_service_at_start_up_naming_the_setting()
    {
        var failure = await Should.ThrowAsync<OptionsValidationException>(() =>
            DeliveryHost.StartAsync(receiver, allowLoopback: true, environment: "Production"));

        failure.Message.ShouldContain("PrivacyRights:Portability:AllowLoopbackForTesting");
    }

    private static (string RequestId, ReadOnlyMemory<byte> Package) Package()
    {
        var requestId = Guid.NewGuid().ToString("D");
        var json = $$$"""{"subject":"{{{PackageMarker(requestId)}}}","holders":[{"service":"identity","data":{"email":"someone@example.org"}}]}""";
        return (requestId, Encoding.UTF8.GetBytes(json));
    }

    private static string PackageMarker(string requestId) => $"package-content-{requestId}";
}
