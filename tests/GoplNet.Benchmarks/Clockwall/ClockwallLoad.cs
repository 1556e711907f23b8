using System.Diagnostics;
using System.Globalization;
using GoplNet.Benchmarks.Clock;
using GoplNet.Clock;

namespace GoplNet.Benchmarks.Clockwall;

/// <summary>
/// <c>clockwall-load [--clocks N] [--seconds S] [--terminal]</c>: runs the built <c>gopl clockwall</c>
/// against N clock servers (in this process, each on its own port) and reports the wall's CPU use
/// as a share of one core, measured from /proc over S seconds after a warm-up, and whether its
/// last row (plain output) or its screen (<c>--terminal</c>: the live table in a tmux session
/// tall enough for every clock) showed every clock up. Build the tool first (<c>dotnet build -c Release</c>).
/// </summary>
internal static class ClockwallLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = Option(args, "--clocks", 100);
        var seconds = Option(args, "--seconds", 60);
        var tool = Path.Combine(ClockLoad.RepositoryRoot(), "tool", "Gopl", "bin", "Release", "net10.0", "gopl");
        if (!File.Exists(tool))
        {
            await Console.Error.WriteLineAsync($"clockwall-load: {tool} is missing; run 'dotnet build -c Release' first");
            return 1;
        }

        var servers = new List<ClockServer>();
        for (var i = 0; i < count; i++)
        {
            var server = new ClockServer(new ClockServerOptions { Port = 0, TimeZone = TimeZoneInfo.Utc });
            await server.StartAsync(CancellationToken.None);
            servers.Add(server);
        }

        var clocks = servers.Select((server, i) => $"C{i}=127.0.0.1:{server.LocalEndPoint.Port}").ToList();
        var (share, cpu, outcome) = args.Contains("--terminal")
            ? await MeasureOnTerminalAsync(tool, clocks, seconds)
            : await MeasureRedirectedAsync(tool, clocks, seconds);
        foreach (var server in servers)
        {
            await server.DisposeAsync();
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"clockwall-load: {count} clocks for {seconds} s on {Environment.ProcessorCount} cores{(args.Contains("--terminal") ? ", live table in tmux" : ", plain output")}: the wall used {share:F2}% of one core ({cpu:F2} CPU s); {outcome}"));
        return 0;
    }

    private static async Task<(double Share, double Cpu, string Outcome)> MeasureRedirectedAsync(string tool, List<string> clocks, int seconds)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("clockwall");
        foreach (var clock in clocks)
        {
            info.ArgumentList.Add(clock);
        }

        using var wall = Process.Start(info)!;
        var lastRow = string.Empty;
        var rows = 0;
        wall.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } row)
            {
                lastRow = row;
                rows++;
            }
        };
        wall.BeginOutputReadLine();
        wall.BeginErrorReadLine();

        var (share, cpu) = await MeasureAsync(wall.Id, seconds);
        var up = lastRow.Split("  ").Count(cell => cell.Split(' ') is [_, var value] && value.Contains(':', StringComparison.Ordinal));
        wall.Kill();
        await wall.WaitForExitAsync();
        return (share, cpu, $"{rows} rows written; last row: {up} of {clocks.Count} clocks up");
    }

    private static async Task<(double Share, double Cpu, string Outcome)> MeasureOnTerminalAsync(string tool, List<string> clocks, int seconds)
    {
        var session = $"clockwall-load-{Environment.ProcessId}";
        var command = $"exec '{tool}' clockwall {string.Join(' ', clocks)}";
        await TmuxAsync("new-session", "-d", "-s", session, "-x", "120", "-y", (clocks.Count + 4).ToString(CultureInfo.InvariantCulture), command);
        try
        {
            var pid = int.Parse((await TmuxAsync("display-message", "-p", "-t", session, "#{pane_pid}")).Trim(), CultureInfo.InvariantCulture);
            var (share, cpu) = await MeasureAsync(pid, seconds);
            var screen = await TmuxAsync("capture-pane", "-p", "-t", session);
            var up = screen.Split('\n').Count(line => line.StartsWith('C') && line.TrimEnd().EndsWith(" up", StringComparison.Ordinal));
            return (share, cpu, $"screen: {up} of {clocks.Count} clocks up");
        }
        finally
        {
            await TmuxAsync("kill-session", "-t", session);
        }
    }

    private static async Task<(double Share, double Cpu)> MeasureAsync(int pid, int seconds)
    {
        await Task.Delay(TimeSpan.FromSeconds(5));
        var cpuStart = ProcessStats.CpuSeconds(pid);
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        var cpu = ProcessStats.CpuSeconds(pid) - cpuStart;
        return (cpu / clock.Elapsed.TotalSeconds * 100, cpu);
    }

    private static async Task<string> TmuxAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var tmux = Process.Start(info)!;
        var output = await tmux.StandardOutput.ReadToEndAsync();
        await tmux.WaitForExitAsync();
        return tmux.ExitCode == 0 ? output : throw new InvalidOperationException($"tmux {arguments[0]} failed ({tmux.ExitCode})");
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
