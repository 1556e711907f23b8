using System.Diagnostics;
using System.Globalization;
using GoplNet.Benchmarks.Clock;

namespace GoplNet.Benchmarks.Clockwall;

/// <summary>
/// <c>clockwall-load [--clocks N] [--seconds S]</c>: runs the built <c>gopl clockwall</c> against N
/// clock servers (in this process, each on its own port) and reports the wall's CPU use as a
/// share of one core, measured from /proc over S seconds after a warm-up, and whether its last
/// row showed every clock up. Build the tool first (<c>dotnet build -c Release</c>).
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

        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("clockwall");
        for (var i = 0; i < count; i++)
        {
            info.ArgumentList.Add($"C{i}=127.0.0.1:{servers[i].LocalEndPoint.Port}");
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

        await Task.Delay(TimeSpan.FromSeconds(5));
        var cpuStart = CpuSeconds(wall.Id);
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        var cpu = CpuSeconds(wall.Id) - cpuStart;
        var share = cpu / clock.Elapsed.TotalSeconds * 100;
        var up = lastRow.Split("  ").Count(cell => cell.Split(' ') is [_, var value] && value.Contains(':', StringComparison.Ordinal));

        wall.Kill();
        await wall.WaitForExitAsync();
        foreach (var server in servers)
        {
            await server.DisposeAsync();
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"clockwall-load: {count} clocks for {seconds} s on {Environment.ProcessorCount} cores: the wall used {share:F2}% of one core ({cpu:F2} CPU s); {rows} rows written; last row: {up} of {count} clocks up"));
        return 0;
    }

    private static double CpuSeconds(int pid)
    {
        // Fields 14 and 15 of /proc/<pid>/stat: user and system time in clock ticks (100 a second).
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
