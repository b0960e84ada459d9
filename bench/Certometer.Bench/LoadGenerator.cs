using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Certometer.Bench;

/// <summary>What one load run measured.</summary>
public sealed record LoadResult(string Target, long Requests, long Failures, double Seconds, double P50Ms, double P99Ms)
{
    public double RequestsPerSecond => Requests / Seconds;

    public static string Header => $"{"target",-34} {"req/s",10} {"p50 ms",8} {"p99 ms",8} {"errors",7}";

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Target,-34} {RequestsPerSecond,10:F0} {P50Ms,8:F2} {P99Ms,8:F2} {Failures,7}");
}

/// <summary>
/// Closed-loop HTTP load: a fixed number of connections, each sending its next request as soon as the last answered,
/// cycling through a list of URLs. Runs in its own process so the server under test does not share its runtime.
/// </summary>
public static class LoadGenerator
{
    /// <summary>GETs that must answer 200, cycling through <paramref name="urls"/>.</summary>
    public static Task<LoadResult> RunAsync(string target, IReadOnlyList<Uri> urls, int connections, TimeSpan warmUp, TimeSpan duration) =>
        RunAsync(target, sequence => new HttpRequestMessage(HttpMethod.Get, urls[(int)(sequence % urls.Count)]), HttpStatusCode.OK, connections, warmUp, duration);

    /// <summary>Requests made by <paramref name="request"/> (given a running sequence number) that must answer <paramref name="success"/>.</summary>
    public static async Task<LoadResult> RunAsync(
        string target, Func<long, HttpRequestMessage> request, HttpStatusCode success, int connections, TimeSpan warmUp, TimeSpan duration)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        await DriveAsync(http, request, success, connections, warmUp, record: null);

        var latencies = new List<double>[connections];
        var failures = new long[connections];
        for (var i = 0; i < connections; i++)
        {
            latencies[i] = new List<double>(100_000);
        }

        var clock = Stopwatch.StartNew();
        await DriveAsync(http, request, success, connections, duration, (worker, milliseconds, ok) =>
        {
            latencies[worker].Add(milliseconds);
            if (!ok)
            {
                failures[worker]++;
            }
        });
        var seconds = clock.Elapsed.TotalSeconds;

        var all = latencies.SelectMany(list => list).Order().ToArray();
        return new LoadResult(target, all.Length, failures.Sum(), seconds, Percentile(all, 0.50), Percentile(all, 0.99));
    }

    private static Task DriveAsync(
        HttpClient http, Func<long, HttpRequestMessage> request, HttpStatusCode success, int connections, TimeSpan duration, Action<int, double, bool>? record)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long sequence = 0;
        return Task.WhenAll(Enumerable.Range(0, connections).Select(worker => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < deadline)
            {
                using var message = request(Interlocked.Increment(ref sequence));
                var started = Stopwatch.GetTimestamp();
                bool ok;
                try
                {
                    using var response = await http.SendAsync(message, HttpCompletionOption.ResponseContentRead);
                    ok = response.StatusCode == success;
                }
                catch (HttpRequestException)
                {
                    ok = false;
                }

                record?.Invoke(worker, Stopwatch.GetElapsedTime(started).TotalMilliseconds, ok);
            }
        })));
    }

    private static double Percentile(double[] sorted, double quantile) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)];
}
