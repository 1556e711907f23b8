using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace GoplNet.Benchmarks.Clock;

/// <summary>
/// The arrivals beside the held clients: connections opened at a steady rate, each timed from the
/// moment it was due to the end of its first line, then reset (no TIME_WAIT left behind, so a long
/// run does not run out of ports). They come from 127.0.0.10 to 127.0.0.17, apart from the held
/// clients, and run on threads of their own with blocking sockets, as a new client is a program of
/// its own: on the load generator's thread pool their completions would queue behind the held
/// clients' 15,000 lines of each second, and the figure would time the generator, not the server.
/// </summary>
internal static class NewClients
{
    private const int FirstSourceAddress = 10;
    private const int SourceAddresses = 8;
    private const int Threads = 32;
    private static readonly TimeSpan FirstLineTimeout = TimeSpan.FromSeconds(10);

    public static async Task<Arrivals> RunAsync(int port, int perSecond, TimeSpan duration)
    {
        if (perSecond <= 0)
        {
            await Task.Delay(duration);
            return new Arrivals(0, []);
        }

        var latencies = new ConcurrentBag<double>();
        using var due = new BlockingCollection<(long Due, IPAddress Source)>();
        var workers = Enumerable.Range(0, Threads).Select(_ => new Thread(() =>
        {
            foreach (var (dueAt, source) in due.GetConsumingEnumerable())
            {
                if (TimeFirstLine(source, port, dueAt) is { } latency)
                {
                    latencies.Add(latency);
                }
            }
        })
        { IsBackground = true, Name = "new client" }).ToArray();
        foreach (var worker in workers)
        {
            worker.Start();
        }

        var attempted = 0;
        var started = Stopwatch.GetTimestamp();
        using var ticker = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        while (Stopwatch.GetElapsedTime(started) < duration)
        {
            // Catch up to the rate from the elapsed time, so a late timer does not lower it.
            var now = Stopwatch.GetTimestamp();
            var target = (int)(Stopwatch.GetElapsedTime(started, now).TotalSeconds * perSecond);
            for (; attempted < target; attempted++)
            {
                due.Add((now, new IPAddress([127, 0, 0, (byte)(FirstSourceAddress + (attempted % SourceAddresses))])));
            }

            await ticker.WaitForNextTickAsync();
        }

        due.CompleteAdding();
        foreach (var worker in workers)
        {
            worker.Join();
        }

        return new Arrivals(attempted, [.. latencies]);
    }

    /// <summary>Milliseconds from <paramref name="dueAt"/> to the first line's end; <see langword="null"/> when refused, reset or too slow.</summary>
    private static double? TimeFirstLine(IPAddress source, int port, long dueAt)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.LingerState = new LingerOption(true, 0);
        socket.ReceiveTimeout = (int)FirstLineTimeout.TotalMilliseconds;
        var buffer = new byte[64];
        try
        {
            socket.Bind(new IPEndPoint(source, 0));
            socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
            var filled = 0;
            while (Array.IndexOf(buffer, (byte)'\n', 0, filled) < 0)
            {
                var read = socket.Receive(buffer, filled, buffer.Length - filled, SocketFlags.None);
                if (read == 0)
                {
                    return null;
                }

                filled += read;
            }

            return Stopwatch.GetElapsedTime(dueAt).TotalMilliseconds;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    /// <summary>How many connections were opened, and the time each admitted one took to its first line.</summary>
    public sealed record Arrivals(int Attempted, double[] Latencies);
}
