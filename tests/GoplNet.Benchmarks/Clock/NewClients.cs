using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace GoplNet.Benchmarks.Clock;

/// <summary>
/// The arrivals beside the held clients: connections opened at a steady rate, each timed from the
/// start of its connect to the end of its first line, then reset (no TIME_WAIT left behind, so a
/// long run does not run out of ports). They come from 127.0.0.10 to 127.0.0.17, apart from the held clients.
/// </summary>
internal static class NewClients
{
    private const int FirstSourceAddress = 10;
    private const int SourceAddresses = 8;
    private const int MaxInFlight = 2_000;
    private static readonly TimeSpan FirstLineTimeout = TimeSpan.FromSeconds(10);

    public static async Task<Arrivals> RunAsync(int port, int perSecond, TimeSpan duration)
    {
        var latencies = new ConcurrentBag<double>();
        var running = new List<Task>();
        var inFlight = 0;
        var attempted = 0;
        var started = Stopwatch.GetTimestamp();
        using var ticker = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        while (Stopwatch.GetElapsedTime(started) < duration && perSecond > 0)
        {
            // Catch up to the rate from the elapsed time, so a late timer does not lower it.
            var due = (int)(Stopwatch.GetElapsedTime(started).TotalSeconds * perSecond);
            while (attempted < due && Volatile.Read(ref inFlight) < MaxInFlight)
            {
                var source = new IPAddress([127, 0, 0, (byte)(FirstSourceAddress + (attempted % SourceAddresses))]);
                attempted++;
                Interlocked.Increment(ref inFlight);
                running.Add(TimeFirstLineAsync(source, port, latencies).ContinueWith(_ => Interlocked.Decrement(ref inFlight), TaskScheduler.Default));
            }

            running.RemoveAll(t => t.IsCompleted);
            await ticker.WaitForNextTickAsync();
        }

        await Task.WhenAll(running);
        return new Arrivals(attempted, [.. latencies]);
    }

    private static async Task TimeFirstLineAsync(IPAddress source, int port, ConcurrentBag<double> latencies)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.LingerState = new LingerOption(true, 0);
        using var timeout = new CancellationTokenSource(FirstLineTimeout);
        var buffer = new byte[64];
        var started = Stopwatch.GetTimestamp();
        try
        {
            socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeout.Token);
            var filled = 0;
            while (Array.IndexOf(buffer, (byte)'\n', 0, filled) < 0)
            {
                var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, timeout.Token);
                if (read == 0)
                {
                    return;
                }

                filled += read;
            }

            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            // Refused, reset or too slow: counted as attempted, not admitted.
        }
    }

    /// <summary>How many connections were opened, and the time each admitted one took to its first line.</summary>
    public sealed record Arrivals(int Attempted, double[] Latencies);
}
