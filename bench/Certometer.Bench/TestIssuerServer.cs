using Certometer.TestInfrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Certometer.Bench;

/// <summary>
/// Serves the test issuer's discovery document and keys over HTTP, so a service running in its own process accepts
/// <see cref="TestTokens"/> exactly as it accepts Identity's tokens.
/// </summary>
public sealed class TestIssuerServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestIssuerServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public Uri MetadataAddress => new(Address, ".well-known/openid-configuration");

    public static async Task<TestIssuerServer> StartAsync()
    {
        var address = new Uri($"http://127.0.0.1:{InfrastructureContainers.FreeTcpPort()}/");
        var (discovery, keySet) = TestTokens.Metadata(address);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(address.AbsoluteUri);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/.well-known/openid-configuration", () => Results.Text(discovery, "application/json"));
        app.MapGet("/.well-known/jwks", () => Results.Text(keySet, "application/json"));
        await app.StartAsync();
        return new TestIssuerServer(app, address);
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
