using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Certometer.TestInfrastructure;

namespace Certometer.Bench;

/// <summary>
/// Anonymous catalogue browsing under HTTP load: the real Catalog service (Release build, its own process, real
/// PostgreSQL and RabbitMQ) against <see cref="CatalogBaseline"/> on the same database, measured alternately in one run.
/// </summary>
public static class CatalogBrowsingBenchmark
{
    private const int Courses = 300;
    private const int Connections = 16;
    private const int Rounds = 3;
    private static readonly string[] Options = ["a", "b"];
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(string repositoryRoot)
    {
        var catalogDll = Path.Combine(repositoryRoot, "services/Certometer.Catalog/bin/Release/net10.0/Certometer.Catalog.dll");
        if (!File.Exists(catalogDll))
        {
            Console.Error.WriteLine($"Build first: dotnet build -c Release ({catalogDll} is missing).");
            return 1;
        }

        await using var postgres = InfrastructureContainers.Postgres();
        await using var broker = InfrastructureContainers.RabbitMq();
        await Task.WhenAll(postgres.StartAsync(), broker.StartAsync());
        var database = await postgres.CreateDatabaseAsync("catalog_bench");

        await using var issuer = await TestIssuerServer.StartAsync();
        var catalogUrl = new Uri($"http://127.0.0.1:{InfrastructureContainers.FreeTcpPort()}/");
        await using var catalog = ServiceProcess.Start(catalogDll, [], new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = catalogUrl.AbsoluteUri,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__catalogdb"] = database,
            ["ConnectionStrings__messaging"] = broker.GetConnectionString(),
            ["Identity__Issuer"] = TestTokens.Issuer,
            ["Identity__MetadataAddress"] = issuer.MetadataAddress.AbsoluteUri,
            ["Logging__LogLevel__Default"] = "Warning",
        });
        await catalog.WaitUntilReadyAsync(new Uri(catalogUrl, "health/ready"), TimeSpan.FromMinutes(2));
        await SeedAsync(catalogUrl);

        var baselineUrl = new Uri($"http://127.0.0.1:{InfrastructureContainers.FreeTcpPort()}/");
        await using var baseline = ServiceProcess.Start(
            typeof(CatalogBrowsingBenchmark).Assembly.Location, ["catalog-baseline", database, baselineUrl.AbsoluteUri], new Dictionary<string, string>());
        await baseline.WaitUntilReadyAsync(new Uri(baselineUrl, "?page=1"), TimeSpan.FromMinutes(1));

        // Ten different pages, the same for both, so neither serves one cached row set.
        var pages = Enumerable.Range(1, 10).ToList();
        var catalogPages = pages.Select(page => new Uri(catalogUrl, $"api/catalog/courses?page={page}&pageSize=20")).ToList();
        var baselinePages = pages.Select(page => new Uri(baselineUrl, $"?page={page}&pageSize=20")).ToList();

        Console.WriteLine($"Anonymous catalogue browsing: {Courses} published courses, pages of 20, {Connections} connections, {Rounds} rounds of {Duration.TotalSeconds:F0} s each, alternating.");
        Console.WriteLine(LoadResult.Header);
        var results = new List<LoadResult>();
        for (var round = 1; round <= Rounds; round++)
        {
            foreach (var (name, urls) in new[] { ("baseline (raw Npgsql)", baselinePages), ("Catalog GET /api/catalog/courses", catalogPages) })
            {
                var result = await LoadGenerator.RunAsync($"{name} #{round}", urls, Connections, round == 1 ? WarmUp : TimeSpan.FromSeconds(1), Duration);
                results.Add(result);
                Console.WriteLine(result);
            }
        }

        var baselineRuns = results.Where(r => r.Target.StartsWith("baseline", StringComparison.Ordinal)).ToList();
        var catalogRuns = results.Where(r => r.Target.StartsWith("Catalog", StringComparison.Ordinal)).ToList();
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median req/s: baseline {Median(baselineRuns, r => r.RequestsPerSecond):F0}, Catalog {Median(catalogRuns, r => r.RequestsPerSecond):F0} " +
            $"-> Catalog throughput = {Median(catalogRuns, r => r.RequestsPerSecond) / Median(baselineRuns, r => r.RequestsPerSecond):P0} of baseline"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median p50 ms: baseline {Median(baselineRuns, r => r.P50Ms):F2}, Catalog {Median(catalogRuns, r => r.P50Ms):F2}; " +
            $"median p99 ms: baseline {Median(baselineRuns, r => r.P99Ms):F2}, Catalog {Median(catalogRuns, r => r.P99Ms):F2} " +
            $"(p99 ratio {Median(catalogRuns, r => r.P99Ms) / Median(baselineRuns, r => r.P99Ms):F2}x)"));
        return results.Any(r => r.Failures > 0) ? 1 : 0;
    }

    private static double Median(List<LoadResult> runs, Func<LoadResult, double> value)
    {
        var sorted = runs.Select(value).Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static async Task SeedAsync(Uri catalogUrl)
    {
        using var http = new HttpClient { BaseAddress = catalogUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer", TestTokens.ForPerson(Guid.NewGuid(), "operator", "catalog", "urn:certometer:catalog", TimeSpan.FromMinutes(30)));
        var levels = new[] { "Beginner", "Intermediate", "Advanced" };
        for (var i = 0; i < Courses; i++)
        {
            using var created = await http.PostAsJsonAsync("api/catalog/admin/courses", new
            {
                title = $"Course {i:D4} on cloud operations",
                slug = $"course-{i:D4}",
                description = $"A practical course number {i} covering deployment, monitoring and incident response in depth.",
                level = levels[i % 3],
                kind = i % 5 == 0 ? "Certification" : "Course",
                durationMinutes = 60 + i,
                priceMinor = i % 4 == 0 ? 0 : 4900 + i,
                currency = "EUR",
                language = i % 2 == 0 ? "en" : "de",
                lessons = new[] { new { title = "Introduction", durationMinutes = 10 }, new { title = "Practice", durationMinutes = 50 } },
                exam = i % 5 == 0
                    ? new { passMarkPercent = 70, questions = new[] { new { text = "Pick the right one", options = Options, correctOption = 0 } } }
                    : null,
            });
            var body = await created.Content.ReadAsStringAsync();
            if (!created.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Seeding failed: {(int)created.StatusCode} {body}");
            }

            var id = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
            using var published = await http.PostAsync($"api/catalog/admin/courses/{id}/publish", null);
            if (!published.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Publishing failed: {(int)published.StatusCode} {await published.Content.ReadAsStringAsync()}");
            }
        }
    }
}
