using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Certometer.PrivacyRights.Tests.Portability;

/// <summary>One POST a receiver got: where, with which key and content type, and the body.</summary>
public sealed record ReceivedDelivery(string Path, string? IdempotencyKey, string? ContentType, byte[] Body, IReadOnlyList<string> TraceContextHeaders);

/// <summary>
/// Another organisation's endpoint, played by a real Kestrel HTTPS server on 127.0.0.1 with a certificate made for the
/// test run. Every path answers a different way; everything it is sent is recorded.
/// </summary>
public sealed class PackageReceiver : IAsyncLifetime
{
    private static readonly string[] TraceContextHeaders = ["traceparent", "tracestate", "baggage", "Request-Id", "Correlation-Context"];

    private readonly ConcurrentQueue<ReceivedDelivery> _received = new();
    private WebApplication? _app;

    public X509Certificate2 Certificate { get; } = SelfSignedForLocalhost();

    public int Port { get; private set; }

    /// <summary>The deliveries that carried <paramref name="requestId"/> as their Idempotency-Key.</summary>
    public IReadOnlyList<ReceivedDelivery> ReceivedFor(string requestId) =>
        [.. _received.Where(d => d.IdempotencyKey == $"\"{requestId}\"")];

    public Uri At(string host, string pathAndQuery) => new($"https://{host}:{Port}{pathAndQuery}");

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Test" });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(Certificate)));
        _app = builder.Build();

        _app.MapPost("/receive", async (HttpRequest request) =>
        {
            await RecordAsync(request);
            return Results.Text("receipt-1", "text/plain", statusCode: StatusCodes.Status202Accepted);
        });
        _app.MapPost("/moved", async (HttpRequest request) =>
        {
            await RecordAsync(request);
            return Results.Redirect($"https://localhost:{Port}/receive");
        });
        _app.MapPost("/busy-once", async (HttpRequest request, HttpResponse response) =>
        {
            // The first copy of each key meets an overloaded receiver; the retry, carrying the same key, gets through.
            var key = request.Headers["Idempotency-Key"].ToString();
            var seenBefore = _received.Any(d => d.Path == "/busy-once" && d.IdempotencyKey == key);
            await RecordAsync(request);
            if (seenBefore)
            {
                return Results.Text("receipt-2", "text/plain");
            }

            response.Headers.RetryAfter = "0";
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        });
        _app.MapPost("/reject", async (HttpRequest request) =>
        {
            await RecordAsync(request);
            return Results.Text("not for us", "text/plain", statusCode: StatusCodes.Status422UnprocessableEntity);
        });
        _app.MapPost("/verbose", async (HttpRequest request) =>
        {
            await RecordAsync(request);
            return Results.Bytes(new byte[256 * 1024], "application/octet-stream");
        });
        _app.MapPost("/silent", async (HttpRequest request, CancellationToken aborted) =>
        {
            await RecordAsync(request);
            await Task.Delay(Timeout.InfiniteTimeSpan, aborted);
            return Results.Ok();
        });

        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        Port = new Uri(address).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        Certificate.Dispose();
    }

    private async Task RecordAsync(HttpRequest request)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        _received.Enqueue(new ReceivedDelivery(
            request.Path, request.Headers["Idempotency-Key"].ToString(), request.ContentType, body.ToArray(), [.. TraceContextHeaders.Where(request.Headers.ContainsKey).Select(name => $"{name}: {request.Headers[name]}")]));
    }

    private static X509Certificate2 SelfSignedForLocalhost()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = DateTimeOffset.UtcNow;
        using var ephemeral = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
        // Through PKCS#12 so the private key is one TLS can use on every platform.
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
    }
}
