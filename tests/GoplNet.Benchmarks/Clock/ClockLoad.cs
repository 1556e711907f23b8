using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace GoplNet.Benchmarks.Clock;

/// <summary>
/// <c>clock-load [--clients N] [--seconds S] [--new-per-second R]</c>: holds N clients on a GoplNet clock server and on
/// a Go server of the book's goroutine-per-client design, one after the other in the same run, and
/// reports for each: clients held, skipped and repeated seconds, the lag from the second boundary
/// to a line's arrival, the server's resident memory per client and its CPU seconds per minute.
/// While the clients are held, <c>--new-per-second</c> more connections (default 3,000) arrive,
/// each timed from its connect to its first line (the admission latency) and then reset.
/// Each server runs in a process of its own (together with the clients they need about 30,000
/// descriptors, past one process's limit here); clients connect from 127.0.0.2 to 127.0.0.9.
/// </summary>
internal static partial class ClockLoad
{
    private const int SourceAddresses = 8;

    public static async Task<int> RunAsync(string[] args)
    {
        var clients = Option(args, "--clients", 15_000);
        var seconds = Option(args, "--seconds", 60);
        var newPerSecond = Option(args, "--new-per-second", 3_000);
        var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault();
        var results = new List<Result>();
        if (only is null or "goplnet")
        {
            using var server = ServerProcess.Start("GoplNet ClockServer", Path.Combine(AppContext.BaseDirectory, "GoplNet.Benchmarks"), ["clock-server", "0"]);
            results.Add(await MeasureAsync(server, clients, seconds, newPerSecond));
        }

        if (only is null or "go")
        {
            var binary = BuildGoClock();
            using var server = ServerProcess.Start("Go, goroutine per client", binary, ["-port", "0"]);
            results.Add(await MeasureAsync(server, clients, seconds, newPerSecond));
        }

        Console.WriteLine();
        Console.WriteLine($"clock-load: {clients} clients held for {seconds} s, {newPerSecond} new connections a second, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}");
        Console.WriteLine();
        Console.WriteLine("| server | clients held | lines | skipped s | repeated s | lag p50 ms | lag p99 ms | new clients | first line p50 ms | first line p99 ms | RSS idle MB | RSS held MB | RSS per client KB | CPU s per min |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Name} | {r.Held} | {r.Lines} | {r.Skipped} | {r.Repeated} | {r.LagP50:F1} | {r.LagP99:F1} | {r.Admitted}/{r.Attempted} | {r.AdmissionP50:F1} | {r.AdmissionP99:F1} | {r.RssIdleKb / 1024.0:F1} | {r.RssHeldKb / 1024.0:F1} | {(r.RssHeldKb - r.RssIdleKb) / (double)Math.Max(1, r.Held):F2} | {r.CpuSecondsPerMinute:F2} |"));
        }

        return 0;
    }

    private static async Task<Result> MeasureAsync(ServerProcess server, int clientCount, int seconds, int newPerSecond)
    {
        var port = await server.WaitForPortAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        var rssIdle = server.ResidentKilobytes();
        Console.Error.WriteLine($"{server.Name}: pid {server.Id}, port {port}, idle RSS {rssIdle} kB; connecting {clientCount} clients");

        var clients = new LoadClient[clientCount];
        using (var gate = new SemaphoreSlim(200))
        {
            var connects = new Task[clientCount];
            for (var i = 0; i < clientCount; i++)
            {
                var source = new IPAddress([127, 0, 0, (byte)(2 + (i % SourceAddresses))]);
                clients[i] = new LoadClient();
                connects[i] = clients[i].ConnectAsync(source, port, gate);
            }

            await Task.WhenAll(connects);
        }

        Console.Error.WriteLine($"{server.Name}: {clients.Count(c => c.Connected)} connected; settling");
        await Task.Delay(TimeSpan.FromSeconds(3));
        var cpuStart = server.CpuSeconds();
        var started = Stopwatch.GetTimestamp();
        foreach (var client in clients)
        {
            client.Measuring = true;
        }

        var arrivals = await NewClients.RunAsync(port, newPerSecond, TimeSpan.FromSeconds(seconds));
        foreach (var client in clients)
        {
            client.Measuring = false;
        }

        var cpu = server.CpuSeconds() - cpuStart;
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMinutes;
        var rssHeld = server.ResidentKilobytes();
        var lags = clients.SelectMany(c => c.Lags).Order().ToArray();
        var admissions = arrivals.Latencies.Order().ToArray();
        var result = new Result(
            server.Name,
            clients.Count(c => c.Open),
            clients.Sum(c => c.Lines),
            clients.Sum(c => c.Skipped),
            clients.Sum(c => c.Repeated),
            Percentile(lags, 0.50),
            Percentile(lags, 0.99),
            arrivals.Attempted,
            admissions.Length,
            Percentile(admissions, 0.50),
            Percentile(admissions, 0.99),
            rssIdle,
            rssHeld,
            cpu / elapsed);
        foreach (var client in clients)
        {
            client.Dispose();
        }

        Console.Error.WriteLine($"{server.Name}: done");
        return result;
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string BuildGoClock()
    {
        var source = Path.Combine(RepositoryRoot(), "tests", "GoplNet.Benchmarks", "Clock", "goclock", "main.go");
        var output = Path.Combine(Path.GetTempPath(), "goplnet-goclock");
        var build = Process.Start(new ProcessStartInfo("go", ["build", "-o", output, source]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("go is not installed (apt-get install golang-go)");
        build.WaitForExit();
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException("go build failed for " + source);
        }

        return output;
    }

    internal static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "GoplNet.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("GoplNet.sln not found above " + AppContext.BaseDirectory);
    }

    private sealed record Result(
        string Name, int Held, long Lines, long Skipped, long Repeated, double LagP50, double LagP99,
        int Attempted, int Admitted, double AdmissionP50, double AdmissionP99, long RssIdleKb, long RssHeldKb, double CpuSecondsPerMinute);

    /// <summary>One client: reads lines, checks each against the previous and times its arrival.</summary>
    private sealed class LoadClient : IDisposable
    {
        private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        private int _previous = -1;

        public bool Connected { get; private set; }

        public bool Open { get; private set; }

        public volatile bool Measuring;

        public long Lines { get; private set; }

        public long Skipped { get; private set; }

        public long Repeated { get; private set; }

        public List<double> Lags { get; } = [];

        public async Task ConnectAsync(IPAddress source, int port, SemaphoreSlim gate)
        {
            await gate.WaitAsync();
            try
            {
                _socket.Bind(new IPEndPoint(source, 0));
                await _socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
                Connected = Open = true;
            }
            catch (SocketException e)
            {
                Console.Error.WriteLine($"connect from {source} failed: {e.SocketErrorCode}");
                return;
            }
            finally
            {
                gate.Release();
            }

            _ = ReadAsync();
        }

        private async Task ReadAsync()
        {
            var buffer = new byte[64];
            var filled = 0;
            try
            {
                while (true)
                {
                    var read = await _socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None);
                    if (read == 0)
                    {
                        break;
                    }

                    var arrival = DateTime.UtcNow.TimeOfDay.TotalSeconds;
                    filled += read;
                    var start = 0;
                    for (var i = 0; i < filled; i++)
                    {
                        if (buffer[i] == (byte)'\n')
                        {
                            OnLine(buffer.AsSpan(start, i - start), arrival);
                            start = i + 1;
                        }
                    }

                    buffer.AsSpan(start, filled - start).CopyTo(buffer);
                    filled -= start;
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Closed by Dispose, or dropped by the server: counted as not held.
            }

            Open = false;
        }

        private void OnLine(ReadOnlySpan<byte> line, double arrival)
        {
            if (line.Length != 8)
            {
                return;
            }

            var second = (Digits(line[0..2]) * 3600) + (Digits(line[3..5]) * 60) + Digits(line[6..8]);
            if (_previous >= 0 && Measuring)
            {
                var step = (second - _previous + 86_400) % 86_400;
                if (step == 0)
                {
                    Repeated++;
                }
                else if (step > 1)
                {
                    Skipped += step - 1;
                }

                var lag = arrival - second;
                lag = lag < -43_200 ? lag + 86_400 : lag;
                Lags.Add(lag * 1000);
                Lines++;
            }

            _previous = second;
        }

        private static int Digits(ReadOnlySpan<byte> two) => ((two[0] - '0') * 10) + (two[1] - '0');

        public void Dispose() => _socket.Dispose();
    }

    /// <summary>A server under test, started under the highest descriptor limit allowed, in UTC.</summary>
    private sealed partial class ServerProcess : IDisposable
    {
        private readonly Process _process;
        private readonly TaskCompletionSource<int> _port = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private ServerProcess(string name, Process process)
        {
            Name = name;
            _process = process;
            _process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is { } line && ListeningOn().Match(line) is { Success: true } match)
                {
                    _port.TrySetResult(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
                }
            };
            _process.BeginErrorReadLine();
        }

        public string Name { get; }

        public int Id => _process.Id;

        public static ServerProcess Start(string name, string fileName, string[] arguments)
        {
            var command = "ulimit -n 20000 && exec \"$0\" \"$@\"";
            var info = new ProcessStartInfo("bash", ["-c", command, fileName, .. arguments])
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardError = true,
            };
            info.Environment["TZ"] = "UTC";
            return new ServerProcess(name, Process.Start(info)!);
        }

        public async Task<int> WaitForPortAsync() => await _port.Task.WaitAsync(TimeSpan.FromSeconds(30));

        public long ResidentKilobytes() => ProcessStats.ResidentKilobytes(_process.Id);

        public double CpuSeconds() => ProcessStats.CpuSeconds(_process.Id);

        public void Dispose()
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(5_000))
            {
                _process.Kill();
                _process.WaitForExit();
            }

            _process.Dispose();
        }

        [GeneratedRegex(@"listening on 127\.0\.0\.1:(\d+)")]
        private static partial Regex ListeningOn();
    }
}
