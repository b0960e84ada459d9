using System.Globalization;

namespace Certometer.Bench;

/// <summary>
/// CPU seconds spent so far, read from Linux's /proc: by the whole machine (every core's busy time) and by every
/// process (all its threads, the JIT's included). Two readings subtracted give what a phase cost, and to whom.
/// </summary>
internal sealed record ProcessorTime(
    double MachineBusySeconds, MachineTime Machine, long ProcessesStarted, IReadOnlyDictionary<int, ProcessorTime.ProcessSeconds> Processes)
{
    // USER_HZ: the unit of /proc's CPU times, 100 on every Linux the stack runs on.
    private const double TicksPerSecond = 100;

    public sealed record ProcessSeconds(string Command, double Seconds);

    public static ProcessorTime Read()
    {
        var processes = new Dictionary<int, ProcessSeconds>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid) && TryReadStat(pid) is { } stat)
            {
                processes[pid] = new ProcessSeconds(stat.Command, stat.Seconds);
            }
        }

        var (machine, started) = ReadMachine();
        return new ProcessorTime(machine.Busy, machine, started, processes);
    }

    /// <summary>What was spent since <paramref name="earlier"/>; a process started in between counts from zero.</summary>
    public ProcessorTime Since(ProcessorTime earlier) =>
        new(MachineBusySeconds - earlier.MachineBusySeconds,
            Machine.Minus(earlier.Machine),
            ProcessesStarted - earlier.ProcessesStarted,
            Processes.ToDictionary(
                process => process.Key,
                process => process.Value with
                {
                    Seconds = process.Value.Seconds - (earlier.Processes.TryGetValue(process.Key, out var before) && before.Command == process.Value.Command ? before.Seconds : 0),
                }));

    /// <summary>
    /// The process that does a resource's work: Aspire reports the pid of the <c>dotnet run</c> it started, which
    /// only waits for the service's own process, its child.
    /// </summary>
    public static int WorkingProcessOf(int launcherPid)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid) && TryReadStat(pid)?.Parent == launcherPid)
            {
                return pid;
            }
        }

        return launcherPid;
    }

    // /proc/stat: the first line is "cpu user nice system idle iowait irq softirq steal ...", in ticks summed over
    // the cores; "processes" counts the forks since boot.
    private static (MachineTime Machine, long ProcessesStarted) ReadMachine()
    {
        var lines = File.ReadAllLines("/proc/stat");
        var ticks = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(field => double.Parse(field, CultureInfo.InvariantCulture) / TicksPerSecond).ToArray();
        var started = long.Parse(lines.First(line => line.StartsWith("processes ", StringComparison.Ordinal))["processes ".Length..], CultureInfo.InvariantCulture);
        return (new MachineTime(User: ticks[0] + ticks[1], System: ticks[2], Interrupts: ticks[5] + ticks[6], Stolen: ticks[7]), started);
    }

    // /proc/<pid>/stat is "pid (command) state ppid ... utime stime ...": utime and stime are fields 14 and 15. The
    // fields are counted after the command's closing parenthesis, since a command may itself hold spaces.
    private static (string Command, int Parent, double Seconds)? TryReadStat(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null; // exited while the directory was listed
        }

        var open = stat.IndexOf('(');
        var close = stat.LastIndexOf(')');
        var fields = stat[(close + 2)..].Split(' ');
        var ticks = double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture);
        return (stat[(open + 1)..close], int.Parse(fields[1], CultureInfo.InvariantCulture), ticks / TicksPerSecond);
    }
}

/// <summary>
/// The machine's CPU seconds by kind. Interrupts (softirq included) is the kernel's network stack, charged to no
/// process; Stolen is time the hypervisor gave other guests, which is not this machine's work and not in Busy.
/// </summary>
internal sealed record MachineTime(double User, double System, double Interrupts, double Stolen)
{
    public double Busy => User + System + Interrupts;

    public MachineTime Minus(MachineTime earlier) =>
        new(User - earlier.User, System - earlier.System, Interrupts - earlier.Interrupts, Stolen - earlier.Stolen);
}
