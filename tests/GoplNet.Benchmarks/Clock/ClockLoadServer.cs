using GoplNet.Clock;

namespace GoplNet.Benchmarks.Clock;

/// <summary>
/// <c>clock-server [port]</c>: a <see cref="ClockServer"/> with the tool's defaults in a process of
/// its own, for the load benchmark. Prints its address to standard error; stops when standard input closes.
/// </summary>
internal static class ClockLoadServer
{
    public static async Task<int> RunAsync(string[] args)
    {
        var port = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 0;
        await using var server = new ClockServer(new ClockServerOptions { Port = port, TimeZone = TimeZoneInfo.Utc });
        await server.StartAsync(CancellationToken.None);
        await Console.Error.WriteLineAsync($"listening on {server.LocalEndPoint}");
        await Console.In.ReadToEndAsync();
        await server.StopAsync(CancellationToken.None);
        return 0;
    }
}
