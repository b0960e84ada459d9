using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography;
using Certometer.PrivacyRights.Portability;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Certometer.PrivacyRights.Tests.Portability;

/// <summary>
/// A host wired like PrivacyRights itself (service defaults, then <c>AddPortabilityDelivery</c>) whose delivery client
/// trusts exactly the receiver's test certificate, and which keeps every log line written.
/// </summary>
public sealed class DeliveryHost : IAsyncDisposable
{
    private readonly IHost _host;

    private DeliveryHost(IHost host, ConcurrentQueue<string> logs)
    {
        _host = host;
        Logs = logs;
    }

    public PortabilityDelivery Delivery => _host.Services.GetRequiredService<PortabilityDelivery>();

    public IServiceProvider Services => _host.Services;

    /// <summary>Every log line, each with its exception and structured values, from every category.</summary>
    public ConcurrentQueue<string> Logs { get; }

    public static async Task<DeliveryHost> StartAsync(
        PackageReceiver receiver, bool allowLoopback, string environment = "Test", bool trustReceiver = true, params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment });
        builder.Configuration.AddInMemoryCollection(
        [
            new("PrivacyRights:Portability:AllowedPorts:0", receiver.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("PrivacyRights:Portability:AllowLoopbackForTesting", allowLoopback ? "true" : "false"),
            .. settings.Select(s => KeyValuePair.Create<string, string?>($"PrivacyRights:Portability:{s.Key}", s.Value)),
        ]);
        var logs = new ConcurrentQueue<string>();
        builder.Logging.SetMinimumLevel(LogLevel.Trace).AddProvider(new KeepingLoggerProvider(logs));

        builder.AddServiceDefaults();
        builder.AddPortabilityDelivery();
        if (trustReceiver)
        {
            // Trusts this one certificate (by its hash, host name still checked) in this client only.
            var pinned = receiver.Certificate.GetCertHashString(HashAlgorithmName.SHA256);
            builder.Services.AddHttpClient(PortabilityDelivery.HttpClientName).ConfigurePrimaryHttpMessageHandler((handler, _) =>
                ((SocketsHttpHandler)handler).SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    certificate is not null
                    && certificate.GetCertHashString(HashAlgorithmName.SHA256) == pinned
                    && (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None);
        }

        var host = builder.Build();
        try
        {
            await host.StartAsync(TestContext.Current.CancellationToken);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new DeliveryHost(host, logs);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
    }

    private sealed class KeepingLoggerProvider(ConcurrentQueue<string> logs) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new KeepingLogger(categoryName, logs);

        public void Dispose()
        {
        }
    }

    private sealed class KeepingLogger(string category, ConcurrentQueue<string> logs) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join("; ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            logs.Enqueue($"{category}: {formatter(state, exception)} [{values}] {exception}");
        }
    }
}
