using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Certometer.TestInfrastructure;
using Npgsql;
using NpgsqlTypes;

namespace Certometer.Bench;

/// <summary>
/// Usage-event ingestion under HTTP load — one event per request, and batches of 100 — against a baseline that
/// bulk-inserts the same rows straight into the same table with binary COPY, from as many connections, in one run.
/// </summary>
public static class AnalyticsIngestionBenchmark
{
    private const int Connections = 16;
    private const int BatchSize = 100;
    private const int Rounds = 3;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(10);
    private const string SingleRowBaseline = "baseline: COPY 1 row per statement";
    private const string BatchBaseline = "baseline: COPY 100 rows per statement";
    private const string SingleEvent = "POST /api/analytics/events (1 event)";
    private const string Batch = "POST /api/analytics/events/batch (100)";

    public static async Task<int> RunAsync(string repositoryRoot)
    {
        var analyticsDll = Path.Combine(repositoryRoot, "services/Certometer.Analytics/bin/Release/net10.0/Certometer.Analytics.dll");
        if (!File.Exists(analyticsDll))
        {
            Console.Error.WriteLine($"Build first: dotnet build -c Release ({analyticsDll} is missing).");
            return 1;
        }

        await using var postgres = InfrastructureContainers.Postgres();
        await using var broker = InfrastructureContainers.RabbitMq();
        await Task.WhenAll(postgres.StartAsync(), broker.StartAsync());
        var database = await postgres.CreateDatabaseAsync("analytics_bench");
        await using var issuer = await TestIssuerServer.StartAsync();
        var analyticsUrl = new Uri($"http://127.0.0.1:{InfrastructureContainers.FreeTcpPort()}/");
        await using var analytics = ServiceProcess.Start(analyticsDll, [], new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = analyticsUrl.AbsoluteUri,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__analyticsdb"] = database,
            ["ConnectionStrings__messaging"] = broker.GetConnectionString(),
            ["Identity__Issuer"] = TestTokens.Issuer,
            ["Identity__MetadataAddress"] = issuer.MetadataAddress.AbsoluteUri,
            ["Analytics__PseudonymKey"] = "bench-pseudonym-key-0123456789abcdef0123456789",
            ["Analytics__CoarseLocation__Networks__0__Network"] = "127.0.0.0/8",
            ["Analytics__CoarseLocation__Networks__0__Region"] = "ZZ",
            ["Logging__LogLevel__Default"] = "Warning",
            // The holder contract's keys (the tests' own); ingestion itself neither seals nor answers anything.
            ["PersonalData__TombstoneKey"] = RunningService.TombstoneKey,
            ["PersonalData__PrivacyRightsPublicKey"] = RunningService.PrivacyRightsPublicKey,
            ["PersonalData__AnswerSigningKey"] = RunningService.HolderSigningKey,
            ["PersonalData__SubjectKeys__Address"] = "http://127.0.0.1:9/",
        });
        await analytics.WaitUntilReadyAsync(new Uri(analyticsUrl, "health/ready"), TimeSpan.FromMinutes(2));
        await using var dataSource = NpgsqlDataSource.Create(database);

        Console.WriteLine($"Usage-event ingestion: {Connections} connections, {Rounds} rounds of {Duration.TotalSeconds:F0} s each, alternating.");
        Console.WriteLine($"{"target",-40} {"events/s",10} {"p50 ms",8} {"p99 ms",8} {"errors",7}");
        var figures = new Dictionary<string, List<(double EventsPerSecond, double P50, double P99)>>();
        for (var round = 1; round <= Rounds; round++)
        {
            Record(figures, SingleRowBaseline, round, await BulkInsertAsync(dataSource, rowsPerStatement: 1));
            Record(figures, SingleEvent, round, await LoadAsync(analyticsUrl, batch: false, round));
            Record(figures, BatchBaseline, round, await BulkInsertAsync(dataSource, BatchSize));
            Record(figures, Batch, round, await LoadAsync(analyticsUrl, batch: true, round));
        }

        // Each shape against the COPY that writes the same rows per round trip: one row per request, or a batch's worth.
        Console.WriteLine();
        foreach (var (target, baseline) in new[] { (SingleEvent, SingleRowBaseline), (Batch, BatchBaseline) })
        {
            var service = Median(figures[target], f => f.EventsPerSecond);
            var copy = Median(figures[baseline], f => f.EventsPerSecond);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{target}: median {service:F0} events/s = {service / copy:P1} of '{baseline}' ({copy:F0}); median p99 {Median(figures[target], f => f.P99):F2} ms"));
        }

        await using var count = dataSource.CreateCommand("SELECT count(*) FROM usage_events");
        Console.WriteLine($"rows in usage_events after the run: {await count.ExecuteScalarAsync()}");
        return 0;
    }

    private static void Record(Dictionary<string, List<(double, double, double)>> figures, string target, int round, (double EventsPerSecond, double P50, double P99, long Errors) run)
    {
        if (!figures.TryGetValue(target, out var runs))
        {
            figures[target] = runs = [];
        }

        runs.Add((run.EventsPerSecond, run.P50, run.P99));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{target + " #" + round,-40} {run.EventsPerSecond,10:F0} {run.P50,8:F2} {run.P99,8:F2} {run.Errors,7}"));
    }

    private static async Task<(double, double, double, long)> LoadAsync(Uri analyticsUrl, bool batch, int round)
    {
        var target = new Uri(analyticsUrl, batch ? "api/analytics/events/batch" : "api/analytics/events");
        var result = await LoadGenerator.RunAsync(
            target.AbsoluteUri,
            _ => new HttpRequestMessage(HttpMethod.Post, target)
            {
                Content = batch
                    ? JsonContent.Create(new { events = Enumerable.Range(0, BatchSize).Select(_ => Event()).ToArray() })
                    : JsonContent.Create(Event()),
            },
            HttpStatusCode.Accepted,
            Connections,
            round == 1 ? TimeSpan.FromSeconds(3) : TimeSpan.FromSeconds(1),
            Duration);
        var events = batch ? BatchSize : 1;
        return (result.RequestsPerSecond * events, result.P50Ms, result.P99Ms, result.Failures);
    }

    // What an anonymous visitor's browser sends: the same shape in every request, a fresh random visitor id each time.
    private static object Event() => new
    {
        page = "/courses/azure-fundamentals",
        deviceType = "desktop",
        browser = "firefox",
        language = "de-CH",
        timeZone = "Europe/Zurich",
        screenWidth = 1366,
        screenHeight = 768,
        referrer = "https://search.example/results",
        exitPage = "/pricing",
        occurredAt = DateTimeOffset.UtcNow,
        anonymousId = Guid.NewGuid(),
    };

    // The rows the service would store for those requests (area, bucketed screen and region as the service derives them).
    private static async Task<(double, double, double, long)> BulkInsertAsync(NpgsqlDataSource dataSource, int rowsPerStatement)
    {
        var latencies = new List<double>[Connections];
        var deadline = Stopwatch.GetTimestamp() + (long)(Duration.TotalSeconds * Stopwatch.Frequency);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Connections).Select(worker => Task.Run(async () =>
        {
            latencies[worker] = [];
            await using var connection = await dataSource.OpenConnectionAsync();
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var started = Stopwatch.GetTimestamp();
                await using (var copy = await connection.BeginBinaryImportAsync(
                    "COPY usage_events (anonymous_id, occurred_at, page, area, device_type, browser, language, time_zone, screen_width, screen_height, referrer, exit_page, location) FROM STDIN (FORMAT BINARY)"))
                {
                    for (var i = 0; i < rowsPerStatement; i++)
                    {
                        await copy.StartRowAsync();
                        await copy.WriteAsync(Guid.NewGuid(), NpgsqlDbType.Uuid);
                        await copy.WriteAsync(DateTimeOffset.UtcNow, NpgsqlDbType.TimestampTz);
                        await copy.WriteAsync("/courses/azure-fundamentals", NpgsqlDbType.Varchar);
                        await copy.WriteAsync("courses", NpgsqlDbType.Varchar);
                        await copy.WriteAsync("desktop", NpgsqlDbType.Varchar);
                        await copy.WriteAsync("firefox", NpgsqlDbType.Varchar);
                        await copy.WriteAsync("de-CH", NpgsqlDbType.Varchar);
                        await copy.WriteAsync("Europe/Zurich", NpgsqlDbType.Varchar);
                        await copy.WriteAsync(1280, NpgsqlDbType.Integer);
                        await copy.WriteAsync(720, NpgsqlDbType.Integer);
                        await copy.WriteAsync("https://search.example/results", NpgsqlDbType.Varchar);
                        await copy.WriteAsync("/pricing", NpgsqlDbType.Varchar);
                        await copy.WriteAsync("ZZ", NpgsqlDbType.Varchar);
                    }

                    await copy.CompleteAsync();
                }

                latencies[worker].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        })));
        var seconds = clock.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(list => list).Order().ToArray();
        return (all.Length * rowsPerStatement / seconds, all[all.Length / 2], all[Math.Min(all.Length - 1, (int)Math.Ceiling(0.99 * all.Length) - 1)], 0);
    }

    private static double Median<T>(List<T> runs, Func<T, double> value)
    {
        var sorted = runs.Select(value).Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
