using System.Diagnostics;
using Certometer.TestInfrastructure;

namespace Certometer.Bench;

/// <summary>A process the benchmark starts and always stops: a service under test, a baseline server or a load run.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServiceProcess(Process process) => _process = process;

    /// <summary>
    /// The keys every personal-data holder needs to start outside Development (the test keys of the service suites): a
    /// service started without them refuses to start, naming the first one missing.
    /// </summary>
    public static IReadOnlyDictionary<string, string> HolderKeys { get; } = new Dictionary<string, string>
    {
        ["PersonalData__TombstoneKey"] = RunningService.TombstoneKey,
        ["PersonalData__PrivacyRightsPublicKey"] = RunningService.PrivacyRightsPublicKey,
        ["PersonalData__AnswerSigningKey"] = RunningService.HolderSigningKey,
    };

    /// <summary>Starts <paramref name="assemblyPath"/> with <see cref="HolderKeys"/> and <paramref name="environment"/> (which wins).</summary>
    public static ServiceProcess Start(string assemblyPath, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(assemblyPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in HolderKeys.Concat(environment))
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {assemblyPath}.");
        // Drain output so a chatty process never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is not null)
            {
                Console.Error.WriteLine($"[{Path.GetFileNameWithoutExtension(assemblyPath)}] {line.Data}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServiceProcess(process);
    }

    /// <summary>Waits until <paramref name="probe"/> answers 200, failing early if the process dies.</summary>
    public async Task WaitUntilReadyAsync(Uri probe, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (DateTimeOffset.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The process exited with code {_process.ExitCode} before it was ready.");
            }

            try
            {
                using var response = await http.GetAsync(probe);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"{probe} did not become ready within {timeout}.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
