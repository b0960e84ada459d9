using System.Reflection;

namespace Certometer.TestInfrastructure;

/// <summary>
/// Starts a service the way production does, through its real entry point with its settings on the command line, to see
/// what stops it. Not WebApplicationFactory: when a host fails to start, the factory sometimes reports its disposed
/// service provider instead of the failure.
/// </summary>
public static class ServiceEntryPoint
{
    // Only a guard against a service that starts when it should have refused (it would then serve until the run is
    // killed); a refusal takes a second or two.
    private static readonly TimeSpan RefusalGuard = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Runs the entry point of <typeparamref name="TProgram"/>'s assembly in <paramref name="environment"/> with
    /// <paramref name="settings"/> (a null value leaves the setting out) and returns the exception that stopped it.
    /// </summary>
    public static Exception StartFailure<TProgram>(IReadOnlyDictionary<string, string?> settings, string environment = "Production")
    {
        ArgumentNullException.ThrowIfNull(settings);
        var main = typeof(TProgram).Assembly.EntryPoint
            ?? throw new InvalidOperationException($"{typeof(TProgram).Assembly.GetName().Name} has no entry point.");
        string[] args =
        [
            $"--environment={environment}",
            // Should it start after all, it takes a free port rather than one another run may be using.
            "--urls=http://127.0.0.1:0",
            .. settings.Where(setting => setting.Value is not null).Select(setting => $"--{setting.Key}={setting.Value}"),
        ];

        var run = Task.Run(() => main.Invoke(null, [args]));
        try
        {
            if (!run.Wait(RefusalGuard))
            {
                throw new InvalidOperationException($"{typeof(TProgram).Assembly.GetName().Name} started instead of refusing to.");
            }
        }
        catch (AggregateException thrown) when (thrown.InnerException is TargetInvocationException { InnerException: { } failure })
        {
            return failure;
        }

        throw new InvalidOperationException($"{typeof(TProgram).Assembly.GetName().Name} ran to the end without failing.");
    }
}
