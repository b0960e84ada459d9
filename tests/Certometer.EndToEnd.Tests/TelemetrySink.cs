using System.Collections.Concurrent;
using System.Text;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Certometer.EndToEnd.Tests;

/// <summary>
/// Everything the services say about themselves during the run: every OTLP export (traces, logs, metrics), kept as
/// the raw bytes the services sent, and every console log line. Strings travel verbatim in OTLP's protobuf, so a
/// byte search finds any value that any span, log record or metric carried.
/// </summary>
public sealed class TelemetrySink : IAsyncDisposable
{
    private readonly ConcurrentQueue<byte[]> _exports = new();
    private readonly ConcurrentQueue<string> _consoleLines = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _watchers = [];
    private WebApplication? _receiver;

    public Uri Endpoint { get; private set; } = new("http://127.0.0.1/");

    public int ExportCount => _exports.Count;

    public int ConsoleLineCount => _consoleLines.Count;

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _receiver = builder.Build();
        // The OTLP/HTTP paths: /v1/traces, /v1/logs, /v1/metrics. An empty protobuf body is a full success.
        _receiver.MapPost("/v1/{signal}", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            _exports.Enqueue(body.ToArray());
            context.Response.ContentType = "application/x-protobuf";
        });
        await _receiver.StartAsync();
        Endpoint = new Uri(_receiver.Urls.First());
    }

    /// <summary>Points a service's OpenTelemetry exporter here, flushing every second so a test need not wait long.</summary>
    public IResourceBuilder<ProjectResource> Receive(IResourceBuilder<ProjectResource> service) => service
        .WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", () => Endpoint.AbsoluteUri.TrimEnd('/'))
        .WithEnvironment("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
        .WithEnvironment("OTEL_BSP_SCHEDULE_DELAY", "1000")
        .WithEnvironment("OTEL_BLRP_SCHEDULE_DELAY", "1000")
        .WithEnvironment("OTEL_METRIC_EXPORT_INTERVAL", "1000");

    /// <summary>Collects the console output of <paramref name="services"/> (the backlog from their start, then everything after).</summary>
    public void WatchConsoles(DistributedApplication app, IEnumerable<string> services)
    {
        var logs = app.Services.GetRequiredService<ResourceLoggerService>();
        foreach (var service in services)
        {
            _watchers.Add(Task.Run(async () =>
            {
                try
                {
                    // Logs are kept per running instance (e.g. identity-abcdefgh), not per resource name.
                    var instance = await app.ResourceNotifications.WaitForResourceAsync(service, _ => true, _stop.Token);
                    await foreach (var batch in logs.WatchAsync(instance.ResourceId).WithCancellation(_stop.Token))
                    {
                        foreach (var line in batch)
                        {
                            _consoleLines.Enqueue(line.Content);
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                }
            }));
        }
    }

    /// <summary>Where <paramref name="value"/> occurs: "telemetry" for OTLP exports, or the console line itself.</summary>
    public IReadOnlyList<string> Occurrences(string value)
    {
        var needle = Encoding.UTF8.GetBytes(value);
        var found = _exports.Where(export => export.AsSpan().IndexOf(needle) >= 0).Select(_ => "an OTLP export").ToList();
        found.AddRange(_consoleLines.Where(line => line.Contains(value, StringComparison.OrdinalIgnoreCase)));
        return found;
    }

    /// <summary>
    /// Where the number <paramref name="digits"/> occurs as a number of its own, not inside a longer run of digits: a
    /// random six-digit code is bound to turn up somewhere in minutes of timestamps and durations, and a leak of it
    /// would stand alone (after a protobuf length byte, a space or a quote).
    /// </summary>
    public IReadOnlyList<string> NumberOccurrences(string digits)
    {
        ArgumentException.ThrowIfNullOrEmpty(digits);
        var found = _exports.Where(export => ContainsNumber(export, Encoding.ASCII.GetBytes(digits))).Select(_ => "an OTLP export").ToList();
        found.AddRange(_consoleLines.Where(line => ContainsNumber(Encoding.UTF8.GetBytes(line), Encoding.ASCII.GetBytes(digits))));
        return found;
    }

    private static bool ContainsNumber(ReadOnlySpan<byte> haystack, ReadOnlySpan<byte> number)
    {
        for (var offset = 0; haystack.Length - offset >= number.Length;)
        {
            var at = haystack[offset..].IndexOf(number);
            if (at < 0)
            {
                return false;
            }

            var start = offset + at;
            var end = start + number.Length;
            if ((start == 0 || !char.IsAsciiDigit((char)haystack[start - 1])) && (end == haystack.Length || !char.IsAsciiDigit((char)haystack[end])))
            {
                return true;
            }

            offset = start + 1;
        }

        return false;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_watchers);
        if (_receiver is not null)
        {
            await _receiver.DisposeAsync();
        }

        _stop.Dispose();
    }
}
