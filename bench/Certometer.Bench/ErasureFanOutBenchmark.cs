using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Certometer.Bench;

/// <summary>
/// An erasure's fan-out on the whole local stack — approval, account lock in Identity, one erasure per declared holder,
/// completion — one request at a time and a batch approved at once, against a bare publish/consume round trip through
/// the same RabbitMQ broker, in one run. Latencies are the server's own timestamps (completedAt − decidedAt), so the
/// polling that tells the bench a request is done adds nothing to them.
/// </summary>
public static class ErasureFanOutBenchmark
{
    private static readonly string[] Services = ["identity", "catalog", "billing", "notifications", "analytics", "privacy-rights"];
    private const int WarmUpErasures = 2;
    // A batch approved at once before anything is measured: a freshly started service spends most of its first
    // concurrent burst in the JIT (tier-1 recompilation of the hot paths; perf showed a third of all CPU there), which
    // a service that has run for a day no longer pays. Its size is the measured batch's, at most 100.
    private static int WarmUpBatchSize => Math.Min(BatchErasures, 100);
    private const int WarmUpBatches = 3;
    private static int WarmUpBatch => WarmUpBatchSize * WarmUpBatches;
    private const int SequentialErasures = 10;
    private const int SequentialRoundTrips = 200;
    private const int RoundTripBatches = 10;

    // How many erasures are approved at once in the batch (bench/run.sh erasure-fanout [batch]); 20 unless given.
    private static int BatchErasures = 20;

    public static async Task<int> RunAsync(int batchErasures, bool restartBroker)
    {
        BatchErasures = batchErasures;
        // Signing up the learners dominates for a large batch (about 1.5 s each, 4 at a time).
        using var run = new CancellationTokenSource(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(batchErasures));
        var cancellationToken = run.Token;
        var clock = Stopwatch.StartNew();
        await using var app = await StartStackAsync(cancellationToken);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"stack healthy after {clock.Elapsed.TotalSeconds:F0} s"));

        using var compliance = PrivacyClient(app, await StackAccounts.SignInAsync(app, StackAccounts.ComplianceEmail, StackAccounts.CompliancePassword, cancellationToken));
        var holders = await WaitForAllHoldersAsync(compliance, cancellationToken);
        var requests = await SubmitErasuresAsync(app, WarmUpErasures + WarmUpBatch + SequentialErasures + BatchErasures, cancellationToken);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{requests.Count} learners signed up, signed in and asked for erasure after {clock.Elapsed.TotalSeconds:F0} s; holders: {string.Join(", ", holders)}"));
        // Sign-up sends consent and welcome events to several services; let them drain before anything is timed.
        await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);

        var brokerAddress = await app.GetConnectionStringAsync("messaging", cancellationToken)
            ?? throw new InvalidOperationException("The AppHost gave no connection string for 'messaging'.");
        await using var roundTrip = await BrokerRoundTrip.StartAsync(brokerAddress, cancellationToken);
        await roundTrip.SequentialAsync(20, cancellationToken);
        var sequentialRoundTrips = await roundTrip.SequentialAsync(SequentialRoundTrips, cancellationToken);

        foreach (var id in requests.Take(WarmUpErasures))
        {
            await ApproveAsync(compliance, id, cancellationToken);
            await WaitUntilCompletedAsync(compliance, [id], cancellationToken);
        }

        foreach (var warmUpBatch in requests.Skip(WarmUpErasures).Take(WarmUpBatch).Chunk(WarmUpBatchSize))
        {
            await Parallel.ForEachAsync(
                warmUpBatch, new ParallelOptions { MaxDegreeOfParallelism = 20, CancellationToken = cancellationToken }, (id, ct) => new ValueTask(ApproveAsync(compliance, id, ct)));
            await WaitUntilCompletedAsync(compliance, [.. warmUpBatch], cancellationToken, enough: warmUpBatch.Length);
        }

        var sequential = new List<ErasureDetail>();
        foreach (var id in requests.Skip(WarmUpErasures + WarmUpBatch).Take(SequentialErasures))
        {
            await ApproveAsync(compliance, id, cancellationToken);
            sequential.AddRange(await WaitUntilCompletedAsync(compliance, [id], cancellationToken));
        }

        var (batchRoundTrips, roundTripBatchSeconds) = await roundTrip.BatchesAsync(RoundTripBatches, BatchErasures, cancellationToken);

        var batchIds = requests.Skip(WarmUpErasures + WarmUpBatch + SequentialErasures).ToList();
        var servicePids = await ServicePidsAsync(app, cancellationToken);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"approving the measured batch of {batchIds.Count} after {clock.Elapsed.TotalSeconds:F0} s"));
        var cpuBefore = ProcessorTime.Read();
        var approving = Stopwatch.StartNew();
        await Parallel.ForEachAsync(
            batchIds, new ParallelOptions { MaxDegreeOfParallelism = 20, CancellationToken = cancellationToken }, (id, ct) => new ValueTask(ApproveAsync(compliance, id, ct)));
        var approvalSeconds = approving.Elapsed.TotalSeconds;
        if (restartBroker)
        {
            // A real restart in the middle of the batch: connections drop, unacknowledged deliveries go back to their
            // queues, and durable queues come back with the broker; every erasure must still complete, each holder once.
            await WaitUntilCompletedAsync(compliance, batchIds, cancellationToken, enough: batchIds.Count / 2);
            var restarting = Stopwatch.StartNew();
            await StackContainers.RestartAsync(app, "messaging", cancellationToken);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"broker restarted after half the batch completed ({restarting.Elapsed.TotalSeconds:F1} s to stop and start)"));
        }

        await WaitUntilCompletedAsync(compliance, batchIds, cancellationToken, enough: batchIds.Count);
        var batchCpu = ProcessorTime.Read().Since(cpuBefore);
        var batch = await WaitUntilCompletedAsync(compliance, batchIds, cancellationToken);
        var batchTransitions = await TransitionTimesAsync(compliance, batch, cancellationToken);

        Report(holders.Count, sequentialRoundTrips, batchRoundTrips, roundTripBatchSeconds, sequential, batch, approvalSeconds);
        ReportTransitions(batchTransitions);
        ReportProcessorTime(batchCpu, servicePids, batch.Count);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"whole run, stack start included: {clock.Elapsed.TotalSeconds:F0} s"));
        return 0;
    }

    /// <summary>The AppHost as the end-to-end tests start it (StackFixture): throwaway, random ports, no dashboard.</summary>
    private static async Task<DistributedApplication> StartStackAsync(CancellationToken cancellationToken)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Certometer_AppHost>(
            ["Infrastructure:PersistData=false", "Infrastructure:FixedPorts=false"],
            (options, _) => options.DisableDashboard = true,
            cancellationToken);
        // The services' console output and the AppHost's start-up health probes (which fail until each resource is
        // up) would bury the figures; a service that breaks still shows, as an erasure that never completes.
        builder.Services.AddLogging(logging => logging
            .AddFilter("Certometer.AppHost.Resources", LogLevel.None)
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None));
        // Every learner signs up and signs in from the same loopback address: the limits are lifted above the run's size.
        builder.CreateResourceBuilder<ProjectResource>("identity")
            .WithEnvironment("Identity__AbuseLimits__Registration__PermitLimit", "1000000")
            .WithEnvironment("Identity__AbuseLimits__SignIn__PermitLimit", "1000000")
            .WithEnvironment("Identity__AbuseLimits__Token__PermitLimit", "1000000")
            .WithEnvironment("Identity__AbuseLimits__EmailConfirmation__PermitLimit", "1000000")
            // The compliance officer's one token must outlive a run of a thousand erasures (sign-ups alone take minutes; an hour is the most Identity allows).
            .WithEnvironment("Identity__AccessTokenLifetime", "01:00:00");
        // Erasures start at approval. The answer timeout stays at its production default, so no holder is asked
        // twice and the figures are the fan-out's own, not its retries'.
        builder.CreateResourceBuilder<ProjectResource>("privacy-rights")
            .WithEnvironment("PrivacyRights__Workflow__ErasureCoolingOff", "00:00:00")
            .WithEnvironment("PrivacyRights__Workflow__ClockInterval", "00:00:00.5");
        // With the dashboard disabled nothing listens where Aspire points the services' OTLP exporters: every export
        // would fail and be retried, CPU spent on telemetry nobody receives, so the services export none here.
        foreach (var project in builder.Resources.OfType<ProjectResource>().ToList())
        {
            builder.CreateResourceBuilder(project).WithEnvironment(context => context.EnvironmentVariables.Remove("OTEL_EXPORTER_OTLP_ENDPOINT"));
            // BENCH_PERF_MAP=1 bench/run.sh erasure-fanout ...: the JIT writes /tmp/perf-<pid>.map, so `perf record -g -a`
            // during the batch can name the services' managed frames (which it cannot find in W^X's double mapping).
            if (Environment.GetEnvironmentVariable("BENCH_PERF_MAP") == "1")
            {
                builder.CreateResourceBuilder(project).WithEnvironment("DOTNET_PerfMapEnabled", "1").WithEnvironment("DOTNET_EnableWriteXorExecute", "0");
            }
        }

        var app = await builder.BuildAsync(cancellationToken);
        await app.StartAsync(cancellationToken);
        await Task.WhenAll(Services.Select(service => app.ResourceNotifications.WaitForResourceHealthyAsync(service, cancellationToken)));
        return app;
    }

    private static async Task<IReadOnlyDictionary<string, int>> ServicePidsAsync(DistributedApplication app, CancellationToken cancellationToken)
    {
        var pids = new Dictionary<string, int>();
        foreach (var service in Services)
        {
            var running = await app.ResourceNotifications.WaitForResourceAsync(
                service, e => e.Snapshot.Properties.Any(p => p.Name == "executable.pid" && p.Value is not null), cancellationToken);
            pids[service] = ProcessorTime.WorkingProcessOf(Convert.ToInt32(running.Snapshot.Properties.First(p => p.Name == "executable.pid").Value, CultureInfo.InvariantCulture));
        }

        return pids;
    }

    /// <summary>
    /// What the batch cost in CPU, per erasure: each service process, then the rest of the machine by command
    /// (PostgreSQL's backends, RabbitMQ's schedulers, Docker's port proxies, Aspire's DCP, this bench).
    /// </summary>
    private static void ReportProcessorTime(ProcessorTime cpu, IReadOnlyDictionary<string, int> servicePids, int erasures)
    {
        var serviceOf = servicePids.ToDictionary(service => service.Value, service => service.Key);
        var spenders = cpu.Processes
            .GroupBy(process => serviceOf.GetValueOrDefault(process.Key, process.Value.Command), process => process.Value.Seconds)
            .Select(group => (Name: group.Key, Seconds: group.Sum(), IsService: servicePids.ContainsKey(group.Key)))
            .ToList();
        string Line(string name, double seconds) => string.Create(CultureInfo.InvariantCulture,
            $"  {name,-18} {seconds / erasures * 1000,6:F1} core-ms per erasure ({seconds / cpu.MachineBusySeconds,4:P0})");

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"CPU during the batch (approval to the last completion seen): {cpu.MachineBusySeconds:F1} core-seconds, {cpu.MachineBusySeconds / erasures * 1000:F0} core-ms per erasure, of which:"));
        foreach (var service in spenders.Where(spender => spender.IsService).OrderByDescending(spender => spender.Seconds))
        {
            Console.WriteLine(Line(service.Name, service.Seconds));
        }

        var others = spenders.Where(spender => !spender.IsService).OrderByDescending(spender => spender.Seconds).ToList();
        foreach (var other in others.Take(8))
        {
            Console.WriteLine(Line($"[{other.Name}]", other.Seconds));
        }

        Console.WriteLine(Line("[other processes]", others.Skip(8).Sum(other => other.Seconds)));
        // Not a share of the lines above: the kernel charges part of its interrupt time to the process it interrupted.
        Console.WriteLine(Line("[kernel interrupts]", cpu.Machine.Interrupts));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  processes started during the batch: {cpu.ProcessesStarted}; CPU stolen by the hypervisor (not in the total): {cpu.Machine.Stolen:F1} s"));
    }

    private static HttpClient PrivacyClient(DistributedApplication app, string accessToken) =>
        new() { BaseAddress = app.GetEndpoint("privacy-rights", "http"), DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", accessToken) } };

    /// <summary>Declarations reach PrivacyRights within seconds of start-up; an erasure asks only the holders declared by then.</summary>
    private static async Task<IReadOnlyList<string>> WaitForAllHoldersAsync(HttpClient compliance, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var inventory = await compliance.GetFromJsonAsync<InventoryEntry[]>("/api/privacy/inventory", cancellationToken) ?? [];
            if (inventory.Length >= Services.Length)
            {
                return [.. inventory.Select(entry => entry.Service)];
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(90))
            {
                throw new InvalidOperationException($"Only {inventory.Length} of {Services.Length} holders declared themselves within 90 s.");
            }

            await Task.Delay(500, cancellationToken);
        }
    }

    private static async Task<List<Guid>> SubmitErasuresAsync(DistributedApplication app, int count, CancellationToken cancellationToken)
    {
        var ids = new Guid[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            using var learner = PrivacyClient(app, await StackAccounts.RegisterAndSignInLearnerAsync(app, ct));
            using var response = await learner.PostAsJsonAsync("/api/privacy/requests", new { kind = "Erasure" }, ct);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                throw new InvalidOperationException($"Erasure request refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
            }

            ids[i] = (await response.Content.ReadFromJsonAsync<RequestState>(ct))!.Id;
        });
        return [.. ids];
    }

    private static async Task ApproveAsync(HttpClient compliance, Guid id, CancellationToken cancellationToken)
    {
        using var response = await compliance.PostAsync($"/api/privacy/requests/{id}/approve", content: null, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"Approval of {id} refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    /// <summary>
    /// Polls only to learn when the requests are done: one list call per round whatever their number, so the poller
    /// does not load the service it measures. The figures come from each request's detail afterwards.
    /// </summary>
    private static async Task<List<ErasureDetail>> WaitUntilCompletedAsync(
        HttpClient compliance, List<Guid> ids, CancellationToken cancellationToken, int? enough = null)
    {
        var waited = Stopwatch.StartNew();
        var limit = TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(ids.Count);
        var pending = ids.ToHashSet();
        while (pending.Count > ids.Count - (enough ?? ids.Count))
        {
            if (waited.Elapsed > limit)
            {
                throw new InvalidOperationException($"{pending.Count} of {ids.Count} erasures did not complete within {limit.TotalSeconds:F0} s, e.g. {pending.First()}.");
            }

            await Task.Delay(ids.Count == 1 ? 100 : 250, cancellationToken);
            // Completed requests page by page (100 at most per page), only as far as this run's could reach.
            for (var number = 1; ; number++)
            {
                var page = (await compliance.GetFromJsonAsync<RequestPage>(
                    $"/api/privacy/requests?kind=Erasure&status=Completed&pageSize=100&page={number}", cancellationToken))!;
                pending.ExceptWith(page.Items.Select(item => item.Id));
                if (page.Items.Count < 100 || pending.Count == 0)
                {
                    break;
                }
            }
        }

        if (enough is not null)
        {
            return [];
        }

        var details = new List<ErasureDetail>();
        foreach (var id in ids)
        {
            details.Add((await compliance.GetFromJsonAsync<ErasureDetail>($"/api/privacy/requests/{id}", cancellationToken))!);
        }

        return details;
    }

    /// <summary>
    /// When PrivacyRights applied each step of these requests, from their audit records: a step stamps all its audit
    /// entries with the one time it took after acquiring its request's lock, so distinct times are distinct steps.
    /// </summary>
    private static async Task<List<DateTimeOffset>> TransitionTimesAsync(HttpClient compliance, List<ErasureDetail> erasures, CancellationToken cancellationToken)
    {
        var times = new HashSet<DateTimeOffset>();
        foreach (var erasure in erasures)
        {
            var record = await compliance.GetFromJsonAsync<RequestRecord>($"/api/privacy/requests/{erasure.Request.Id}/record", cancellationToken);
            times.UnionWith(record!.Audit.Where(entry => entry.OccurredAt >= erasure.Request.DecidedAt && entry.OccurredAt <= erasure.Request.CompletedAt).Select(entry => entry.OccurredAt));
        }

        return [.. times.Order()];
    }

    /// <summary>Every step of every request runs under one lock; if the steps follow each other without pause, that lock set the pace.</summary>
    private static void ReportTransitions(List<DateTimeOffset> times)
    {
        var gaps = times.Zip(times.Skip(1), (earlier, later) => (later - earlier).TotalMilliseconds).ToArray();
        var span = (times[^1] - times[0]).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"PrivacyRights applied {times.Count} steps of the batch (approval, account locked, each holder's answer) in {span:F1} s: " +
            $"{times.Count / span:F1} steps/s, gap between consecutive steps p50 {Percentile(gaps, 0.5):F0} ms, longest {gaps.Max():F0} ms"));
    }

    private static void Report(
        int holders,
        double[] sequentialRoundTrips,
        double[] batchRoundTrips,
        double[] roundTripBatchSeconds,
        List<ErasureDetail> sequential,
        List<ErasureDetail> batch,
        double approvalSeconds)
    {
        static string Row(string target, int n, double p50, double p99, string extra = "") =>
            string.Create(CultureInfo.InvariantCulture, $"{target,-52} {n,4} {p50,9:F1} {p99,9:F1}  {extra}");

        var roundTripsPerSecond = Percentile([.. roundTripBatchSeconds.Select(seconds => BatchErasures / seconds)], 0.5);
        var sequentialTotals = sequential.Select(e => e.TotalMs).ToArray();
        var batchTotals = batch.Select(e => e.TotalMs).ToArray();
        var batchSpan = (batch.Max(e => e.Request.CompletedAt!.Value) - batch.Min(e => e.Request.DecidedAt!.Value)).TotalSeconds;
        var erasuresPerSecond = batch.Count / batchSpan;
        var extraAsks = sequential.Concat(batch).Sum(e => e.ExtraAsks);

        Console.WriteLine();
        Console.WriteLine($"Erasure fan-out on the whole local stack: {holders} holders asked per erasure; {WarmUpErasures} warm-up erasures and {WarmUpBatches} warm-up batches of {WarmUpBatchSize} not counted.");
        Console.WriteLine("Erasure latency = completedAt - decidedAt, both PrivacyRights' own timestamps; p99 of 10 or 20 samples is the slowest.");
        Console.WriteLine($"{"target",-52} {"n",4} {"p50 ms",9} {"p99 ms",9}  throughput");
        Console.WriteLine(Row("baseline: publish->consume, one at a time", sequentialRoundTrips.Length, Percentile(sequentialRoundTrips, 0.5), Percentile(sequentialRoundTrips, 0.99)));
        Console.WriteLine(Row($"baseline: publish->consume, {RoundTripBatches} batches of {BatchErasures} at once", batchRoundTrips.Length,
            Percentile(batchRoundTrips, 0.5), Percentile(batchRoundTrips, 0.99), string.Create(CultureInfo.InvariantCulture, $"{roundTripsPerSecond:F0} round trips/s (median batch)")));
        Console.WriteLine(Row("erasure, one at a time: approval->completed", sequential.Count, Percentile(sequentialTotals, 0.5), Percentile(sequentialTotals, 0.99)));
        Console.WriteLine(Row("  of which approval->account locked", sequential.Count, Percentile([.. sequential.Select(e => e.LockMs)], 0.5), Percentile([.. sequential.Select(e => e.LockMs)], 0.99)));
        Console.WriteLine(Row("  of which account locked->last holder answered", sequential.Count, Percentile([.. sequential.Select(e => e.FanOutMs)], 0.5), Percentile([.. sequential.Select(e => e.FanOutMs)], 0.99)));
        Console.WriteLine(Row($"erasure, {BatchErasures} approved at once: approval->completed", batch.Count, Percentile(batchTotals, 0.5), Percentile(batchTotals, 0.99),
            string.Create(CultureInfo.InvariantCulture, $"{erasuresPerSecond:F2} erasures/s ({batch.Count} in {batchSpan:F2} s)")));
        Console.WriteLine(Row("  of which approval->account locked", batch.Count, Percentile([.. batch.Select(e => e.LockMs)], 0.5), Percentile([.. batch.Select(e => e.LockMs)], 0.99)));
        Console.WriteLine(Row("  of which account locked->last holder answered", batch.Count, Percentile([.. batch.Select(e => e.FanOutMs)], 0.5), Percentile([.. batch.Select(e => e.FanOutMs)], 0.99)));
        // Which holder the batch waits for, and where: the holder's own erasure (its receipt's completedAt, same
        // machine clock) and then PrivacyRights applying the answer (answeredAt).
        foreach (var service in batch.SelectMany(e => e.Holders).Select(h => h.Service).Distinct().Order(StringComparer.Ordinal))
        {
            double[] erased = [.. batch.Select(e => e.ErasedMs(service)).OfType<double>()];
            double[] applied = [.. batch.Select(e => e.AnswerMs(service) - e.ErasedMs(service)).OfType<double>()];
            Console.WriteLine(Row($"    {service}: erased (holder's receipt) after lock", erased.Length, Percentile(erased, 0.5), Percentile(erased, 0.99)));
            Console.WriteLine(Row($"    {service}: answer applied after it erased", applied.Length, Percentile(applied, 0.5), Percentile(applied, 0.99)));
        }

        Console.WriteLine();
        var messages = 5 + holders;
        var sequentialRatio = Percentile(sequentialTotals, 0.5) / Percentile(sequentialRoundTrips, 0.5);
        Console.WriteLine("Per erasure: 4 broker hops in a row (AccountLockRequested, AccountLocked, SubjectErasureRequested, the last SubjectErased),");
        Console.WriteLine($"at least {messages} messages ({holders} SubjectErased, the other 3 of those, PrivacyRequestApproved, PrivacyRequestCompleted), each through an outbox and an inbox.");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"one at a time: erasure p50 / round-trip p50 = {sequentialRatio:F0}x, i.e. one erasure lasts {sequentialRatio:F0} bare round trips ({sequentialRatio / 4:F0} per hop); " +
            $"p99 / p99 = {Percentile(sequentialTotals, 0.99) / Percentile(sequentialRoundTrips, 0.99):F0}x"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{BatchErasures} at once: erasure p50 / batch round-trip p50 = {Percentile(batchTotals, 0.5) / Percentile(batchRoundTrips, 0.5):F0}x; p99 / p99 = {Percentile(batchTotals, 0.99) / Percentile(batchRoundTrips, 0.99):F0}x; " +
            $"the broker's round trips/s buy {roundTripsPerSecond / erasuresPerSecond:F0} round trips per erasure completed ({erasuresPerSecond * messages:F0} workflow messages/s vs {roundTripsPerSecond:F0})"));
        var batchDecisions = batch.Select(e => e.Request.DecidedAt!.Value).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{BatchErasures} at once took {batchSpan:F1} s; {BatchErasures} one after another would take about {BatchErasures * sequentialTotals.Average() / 1000:F1} s (n x the mean above). " +
            $"The {BatchErasures} approvals, sent at once, took {approvalSeconds:F2} s and their decidedAt span {(batchDecisions.Max() - batchDecisions.Min()).TotalSeconds:F2} s."));
        Console.WriteLine($"holders or Identity asked more than once during the measured erasures: {extraAsks} times (0 expected: answer timeout left at its default)");
    }

    private static double Percentile(double[] values, double quantile)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)];
    }

    private sealed record InventoryEntry(string Service);

    private sealed record AuditRecord(DateTimeOffset OccurredAt);

    private sealed record RequestRecord(IReadOnlyList<AuditRecord> Audit);

    private sealed record RequestPage(IReadOnlyList<RequestState> Items);

    private sealed record RequestState(Guid Id, string Status, DateTimeOffset? DecidedAt, DateTimeOffset? CompletedAt);

    private sealed record AccountLockState(DateTimeOffset? LockedAt, int Attempts);

    private sealed record HolderState(string Service, int Attempts, DateTimeOffset? AnsweredAt, JsonElement? Answer);

    private sealed record ErasureDetail(RequestState Request, AccountLockState? AccountLock, IReadOnlyList<HolderState> Holders)
    {
        public double TotalMs => (Request.CompletedAt!.Value - Request.DecidedAt!.Value).TotalMilliseconds;

        public double LockMs => (AccountLock!.LockedAt!.Value - Request.DecidedAt!.Value).TotalMilliseconds;

        public double FanOutMs => (Request.CompletedAt!.Value - AccountLock!.LockedAt!.Value).TotalMilliseconds;

        public int ExtraAsks => (AccountLock?.Attempts ?? 1) - 1 + Holders.Sum(holder => holder.Attempts - 1);

        public double? AnswerMs(string service) =>
            Holders.SingleOrDefault(h => h.Service == service)?.AnsweredAt is { } answered
                ? (answered - AccountLock!.LockedAt!.Value).TotalMilliseconds
                : null;

        public double? ErasedMs(string service) =>
            Holders.SingleOrDefault(h => h.Service == service)?.Answer is { } answer
                && answer.TryGetProperty("completedAt", out var completed) && completed.TryGetDateTimeOffset(out var at)
                ? (at - AccountLock!.LockedAt!.Value).TotalMilliseconds
                : null;
    }
}
