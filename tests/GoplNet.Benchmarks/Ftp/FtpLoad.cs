using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace GoplNet.Benchmarks.Ftp;

/// <summary>
/// <c>ftp-load [--runs N]</c>: GoplNet's FTP server and vsftpd side by side in one run, with the
/// same client (curl) for transfers: RETR of 1 GiB, STOR of 256 MiB, LIST of 10,000 files, 200
/// sequential sessions (connect, login, small RETR, QUIT); then 300 clients logging in at once
/// (an async client in this process) and the servers' resident memory with those 300 idle
/// sessions. Anonymous logins on both servers (STOR: vsftpd anonymous upload, GoplNet's bench
/// account). Needs vsftpd (apt-get install vsftpd) and root (vsftpd's chroot).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static partial class FtpLoad
{
    private static int _loggedIn;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Contains("--idle-memory"))
        {
            return await IdleMemoryAsync();
        }

        if (args.Contains("--small-files"))
        {
            return SmallFiles(args);
        }

        if (args.Contains("--login-flood"))
        {
            return await LoginFloodAsync(args);
        }

        var runs = RunsOption(args);

        // On tmpfs by default, so the figures compare the servers rather than this machine's disk
        // (whose write-back stalls would land on whichever server happens to run then); --disk uses /tmp.
        var parent = args.Contains("--disk") || !Directory.Exists("/dev/shm") ? Path.GetTempPath() : "/dev/shm";
        var root = Directory.CreateDirectory(Path.Combine(parent, $"goplnet-ftp-bench-{Environment.ProcessId}")).FullName;
        try
        {
            Prepare(root);
            using var goplnet = Server.Start("GoplNet", Path.Combine(AppContext.BaseDirectory, "GoplNet.Benchmarks"), ["ftp-server", root]);
            using var vsftpd = Server.StartVsftpd(root);
            var targets = new[]
            {
                new Target(goplnet, await goplnet.WaitForPortAsync(), "bench:bench"),
                new Target(vsftpd, await vsftpd.WaitForPortAsync(), "anonymous:x"),
            };

            // Each measure: one unmeasured warm-up per server, then the runs alternate between the
            // servers (and which goes first), so a noisy moment hits both alike.
            var upload = Path.Combine(Path.GetTempPath(), "goplnet-ftp-upload.bin");
            var stored = 0;
            var retr = Alternate(targets, runs, t => Curl(["-u", "anonymous:x", "-o", "/dev/null", t.Url + "big.bin"]));
            var stor = Alternate(targets, runs, t =>
            {
                Sync();
                return Curl(["-u", t.Login, "-T", upload, t.Url + $"up/stored-{stored++}.bin"]);
            });
            var list = Alternate(targets, runs, t => Curl(["-u", "anonymous:x", "-o", "/dev/null", t.Url + "list/"]));
            var sequential = Alternate(targets, runs, t =>
            {
                var watch = Stopwatch.StartNew();
                for (var i = 0; i < 200; i++)
                {
                    Curl(["-u", "anonymous:x", "-o", "/dev/null", t.Url + "small.bin"]);
                }

                return watch.Elapsed;
            });

            var rows = new List<string>();
            for (var i = 0; i < targets.Length; i++)
            {
                var (loginText, memoryText) = await LoginsAndMemoryAsync(targets[i]);
                rows.Add(string.Create(CultureInfo.InvariantCulture,
                    $"| {targets[i].Server.Name} | {retr[i].TotalSeconds:F2} s ({1024 / retr[i].TotalSeconds:F0} MiB/s) | {stor[i].TotalSeconds:F2} s ({256 / stor[i].TotalSeconds:F0} MiB/s) | {list[i].TotalMilliseconds:F0} ms | {sequential[i].TotalSeconds:F2} s | {loginText} | {memoryText} |"));
            }

            Console.WriteLine();
            Console.WriteLine($"ftp-load: medians of {runs} alternating runs after a warm-up, files on {(parent == "/dev/shm" ? "tmpfs" : "disk")}, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}");
            Console.WriteLine();
            Console.WriteLine("| server | RETR 1 GiB | STOR 256 MiB | LIST 10,000 files | 200 sequential sessions | 300 logins at once | RSS for 300 idle sessions |");
            Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var row in rows)
            {
                Console.WriteLine(row);
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }

        return 0;
    }

    /// <summary>
    /// <c>ftp-load --idle-memory</c>: a fresh GoplNet server (no transfers before, 20 logins to load
    /// the login path), its resident memory, then again with 300 idle sessions logged in.
    /// </summary>
    private static async Task<int> IdleMemoryAsync()
    {
        var root = Directory.CreateTempSubdirectory("goplnet-ftp-idle-").FullName;
        try
        {
            using var server = Server.Start("GoplNet", Path.Combine(AppContext.BaseDirectory, "GoplNet.Benchmarks"), ["ftp-server", root]);
            var port = await server.WaitForPortAsync();
            foreach (var session in (await LoginAllAsync(port, 20)).Sessions)
            {
                session.Dispose();
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
            var before = server.ResidentKilobytes();
            var (elapsed, sessions) = await LoginAllAsync(port, 300).WaitAsync(TimeSpan.FromSeconds(60));
            await Task.Delay(TimeSpan.FromSeconds(1));
            var after = server.ResidentKilobytes();
            foreach (var session in sessions)
            {
                session.Dispose();
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"fresh GoplNet server: {before / 1024.0:F1} MB resident, {after / 1024.0:F1} MB with 300 idle sessions (+{(after - before) / 1024.0:F1} MB, {(after - before) / 300.0:F1} KB a session); the 300 logged in within {elapsed.TotalMilliseconds:F0} ms"));
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>
    /// <c>ftp-load --small-files [--runs N]</c>: the way sync tools work, over one control
    /// connection per run: 200 files of 4 KiB uploaded, then downloaded, by Python's ftplib (the
    /// same client for both servers), login left out of the time. GoplNet with its bench account,
    /// vsftpd anonymous (its anonymous upload). Runs alternate between the servers after a warm-up each.
    /// </summary>
    private static int SmallFiles(string[] args)
    {
        var runs = RunsOption(args);
        var root = Directory.CreateDirectory(Path.Combine("/dev/shm", $"goplnet-ftp-small-{Environment.ProcessId}")).FullName;
        try
        {
            Prepare(root);
            using var goplnet = Server.Start("GoplNet", Path.Combine(AppContext.BaseDirectory, "GoplNet.Benchmarks"), ["ftp-server", root]);
            using var vsftpd = Server.StartVsftpd(root);
            var targets = new[]
            {
                new Target(goplnet, goplnet.WaitForPortAsync().GetAwaiter().GetResult(), "bench:bench"),
                new Target(vsftpd, vsftpd.WaitForPortAsync().GetAwaiter().GetResult(), "anonymous:x"),
            };
            var round = 0;
            var uploads = new Dictionary<Target, List<double>>();
            var downloads = new Dictionary<Target, List<double>>();
            Alternate(targets, runs, t =>
            {
                var (up, down) = SyncLikeSession(t, $"r{round++}-");
                (uploads.TryGetValue(t, out var u) ? u : uploads[t] = []).Add(up);
                (downloads.TryGetValue(t, out var d) ? d : downloads[t] = []).Add(down);
                return TimeSpan.FromSeconds(up + down);
            });

            Console.WriteLine($"ftp-load --small-files: 200 files of 4 KiB up then down over one session (Python ftplib, passive), medians of {runs} alternating runs after a warm-up, tmpfs, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}");
            Console.WriteLine();
            Console.WriteLine("| server | 200 uploads | 200 downloads |");
            Console.WriteLine("| --- | ---: | ---: |");
            foreach (var target in targets)
            {
                // The warm-up is the first sample of each list: left out.
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {target.Server.Name} | {Median(uploads[target].Skip(1)):F3} s | {Median(downloads[target].Skip(1)):F3} s |"));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"small-files: uploads {Median(uploads[targets[0]].Skip(1)) / Median(uploads[targets[1]].Skip(1)):F2}x downloads {Median(downloads[targets[0]].Skip(1)) / Median(downloads[targets[1]].Skip(1)):F2}x the time of vsftpd"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }

        return 0;
    }

    /// <summary>One sync-like session: the seconds for the uploads and for the downloads.</summary>
    private static (double Uploads, double Downloads) SyncLikeSession(Target target, string prefix)
    {
        const string Script = """
            import ftplib, io, os, sys, time
            port, login, prefix = int(sys.argv[1]), sys.argv[2].split(":"), sys.argv[3]
            f = ftplib.FTP()
            f.connect("127.0.0.1", port, timeout=30)
            f.login(login[0], login[1])
            f.cwd("up")
            payload = os.urandom(4096)
            start = time.perf_counter()
            for i in range(200):
                f.storbinary(f"STOR {prefix}{i}.bin", io.BytesIO(payload))
            uploaded = time.perf_counter()
            received = []
            for i in range(200):
                f.retrbinary(f"RETR {prefix}{i}.bin", received.append)
            downloaded = time.perf_counter()
            assert b"".join(received) == payload * 200
            f.quit()
            print(f"{uploaded - start:.6f} {downloaded - uploaded:.6f}")
            """;
        using var python = Process.Start(new ProcessStartInfo("python3", ["-c", Script, target.Port.ToString(CultureInfo.InvariantCulture), target.Login, prefix])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
        })!;
        var output = python.StandardOutput.ReadToEnd().Split(' ', StringSplitOptions.TrimEntries);
        python.WaitForExit();
        if (python.ExitCode != 0 || output.Length != 2)
        {
            throw new InvalidOperationException($"the sync-like session against {target.Server.Name} failed ({python.ExitCode})");
        }

        return (double.Parse(output[0], CultureInfo.InvariantCulture), double.Parse(output[1], CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// <c>ftp-load --login-flood [--runs N]</c>: curl downloads 1 GiB from GoplNet alone, then
    /// while 100 sessions from the same address send wrong passwords as fast as the server answers
    /// them; alternating, medians. The ratio is what a password-guessing flood leaves to a real user.
    /// </summary>
    private static async Task<int> LoginFloodAsync(string[] args)
    {
        var runs = RunsOption(args);
        var root = Directory.CreateDirectory(Path.Combine("/dev/shm", $"goplnet-ftp-flood-{Environment.ProcessId}")).FullName;
        try
        {
            Prepare(root);
            using var goplnet = Server.Start("GoplNet", Path.Combine(AppContext.BaseDirectory, "GoplNet.Benchmarks"), ["ftp-server", root]);
            var url = $"ftp://127.0.0.1:{await goplnet.WaitForPortAsync()}/big.bin";
            var port = new Uri(url).Port;
            Curl(["-u", "anonymous:x", "-o", "/dev/null", url]);
            var quiet = new List<TimeSpan>();
            var flooded = new List<TimeSpan>();
            long failures = 0;
            for (var run = 0; run < runs; run++)
            {
                quiet.Add(Curl(["-u", "anonymous:x", "-o", "/dev/null", url]));
                using var stop = new CancellationTokenSource();
                var flood = Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(() => GuessPasswordsAsync(port, stop.Token))));
                await Task.Delay(TimeSpan.FromSeconds(1));
                flooded.Add(Curl(["-u", "anonymous:x", "-o", "/dev/null", url]));
                await stop.CancelAsync();
                failures += (await flood).Sum();
            }

            var ratio = Median(quiet.Select(t => t.TotalSeconds)) / Median(flooded.Select(t => t.TotalSeconds));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"login-flood: curl RETR 1 GiB alone {1024 / Median(quiet.Select(t => t.TotalSeconds)):F0} MiB/s, beside 100 sessions guessing passwords {1024 / Median(flooded.Select(t => t.TotalSeconds)):F0} MiB/s ({ratio:F2}x; {failures} failed logins in all; medians of {runs} runs, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd})"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }

        return 0;
    }

    /// <summary>One guessing client: logs in with wrong passwords until stopped, reconnecting after each 421; the failures it got.</summary>
    private static async Task<int> GuessPasswordsAsync(int port, CancellationToken cancellationToken)
    {
        var failures = 0;
        var buffer = new byte[1024];
        while (!cancellationToken.IsCancellationRequested)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
                await ExpectAsync(socket, buffer, "220");
                while (!cancellationToken.IsCancellationRequested)
                {
                    await socket.SendAsync("USER bench\r\n"u8.ToArray(), cancellationToken);
                    await ExpectAsync(socket, buffer, "331");
                    await socket.SendAsync(Encoding.ASCII.GetBytes($"PASS wrong-{failures}\r\n"), cancellationToken);
                    await ExpectAsync(socket, buffer, "530");
                    failures++;
                }
            }
            catch (Exception e) when (e is InvalidOperationException or SocketException or OperationCanceledException)
            {
                // 421 after the last allowed failure, or stopped: a new connection.
                failures++;
            }
        }

        return failures;
    }

    private static int RunsOption(string[] args)
    {
        var index = Array.IndexOf(args, "--runs");
        return index >= 0 ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : 5;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>A server under test, where it listens, and the account that may upload.</summary>
    private sealed record Target(Server Server, int Port, string Login)
    {
        public string Url => $"ftp://127.0.0.1:{Port}/";
    }

    /// <summary>The median per server: a warm-up each, then <paramref name="runs"/> rounds alternating the order.</summary>
    private static TimeSpan[] Alternate(Target[] targets, int runs, Func<Target, TimeSpan> measure)
    {
        var samples = targets.Select(_ => new List<TimeSpan>()).ToArray();
        foreach (var target in targets)
        {
            measure(target);
        }

        for (var run = 0; run < runs; run++)
        {
            for (var k = 0; k < targets.Length; k++)
            {
                var i = run % 2 == 0 ? k : targets.Length - 1 - k;
                samples[i].Add(measure(targets[i]));
            }
        }

        return samples.Select(s => s.Order().ElementAt(s.Count / 2)).ToArray();
    }

    private static void Sync() => Process.Start("sync")!.WaitForExit();

    /// <summary>300 clients log in at once: the time until all are in (or how many made it in 60 s), then the memory they hold.</summary>
    private static async Task<(string Logins, string Memory)> LoginsAndMemoryAsync(Target target)
    {
        var rssIdle = target.Server.ResidentKilobytes();
        var attempt = LoginAllAsync(target.Port, 300);
        try
        {
            var (logins, sessions) = await attempt.WaitAsync(TimeSpan.FromSeconds(60));
            await Task.Delay(TimeSpan.FromSeconds(1));
            var rssHeld = target.Server.ResidentKilobytes();
            foreach (var session in sessions)
            {
                session.Dispose();
            }

            return (string.Create(CultureInfo.InvariantCulture, $"{logins.TotalMilliseconds:F0} ms"),
                string.Create(CultureInfo.InvariantCulture, $"{(rssHeld - rssIdle) / 1024.0:F1} MB"));
        }
        catch (TimeoutException)
        {
            return ($"{Volatile.Read(ref _loggedIn)} of 300 in 60 s", "not measured");
        }
    }

    private static void Prepare(string root)
    {
        var block = new byte[1024 * 1024];
        new Random(1).NextBytes(block);
        using (var big = File.Create(Path.Combine(root, "big.bin")))
        {
            for (var i = 0; i < 1024; i++)
            {
                big.Write(block);
            }
        }

        using (var upload = File.Create(Path.Combine(Path.GetTempPath(), "goplnet-ftp-upload.bin")))
        {
            for (var i = 0; i < 256; i++)
            {
                upload.Write(block);
            }
        }

        File.WriteAllBytes(Path.Combine(root, "small.bin"), block.AsSpan(0, 4096).ToArray());
        var list = Directory.CreateDirectory(Path.Combine(root, "list")).FullName;
        for (var i = 0; i < 10_000; i++)
        {
            File.WriteAllBytes(Path.Combine(list, $"file-{i:D5}.txt"), []);
        }

        var up = Directory.CreateDirectory(Path.Combine(root, "up")).FullName;

        // vsftpd serves anonymous sessions as its "ftp" user: the tree must be readable by others.
        File.SetUnixFileMode(root, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(list, (UnixFileMode)0b111_101_101);

        // vsftpd uploads as its "ftp" user and refuses a root directory that user can write.
        Process.Start("chown", ["ftp:ftp", up])!.WaitForExit();
    }

    private static TimeSpan Curl(string[] arguments)
    {
        var watch = Stopwatch.StartNew();
        using var curl = Process.Start(new ProcessStartInfo("curl", ["-s", "-S", "--max-time", "120", .. arguments]) { UseShellExecute = false })!;
        curl.WaitForExit();
        if (curl.ExitCode != 0)
        {
            throw new InvalidOperationException($"curl {string.Join(' ', arguments)} failed with {curl.ExitCode}");
        }

        return watch.Elapsed;
    }

    /// <summary>Opens <paramref name="count"/> control connections at once and logs each in; the time until all are logged in.</summary>
    private static async Task<(TimeSpan Elapsed, List<Socket> Sessions)> LoginAllAsync(int port, int count)
    {
        Volatile.Write(ref _loggedIn, 0);
        var watch = Stopwatch.StartNew();
        var sessions = await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
            var buffer = new byte[1024];
            await ExpectAsync(socket, buffer, "220");
            await socket.SendAsync("USER anonymous\r\n"u8.ToArray());
            await ExpectAsync(socket, buffer, "331");
            await socket.SendAsync("PASS x\r\n"u8.ToArray());
            await ExpectAsync(socket, buffer, "230");
            Interlocked.Increment(ref _loggedIn);
            return socket;
        }));
        return (watch.Elapsed, sessions.ToList());
    }

    private static async Task ExpectAsync(Socket socket, byte[] buffer, string code)
    {
        var text = new StringBuilder();
        while (!LastLine().IsMatch(text.ToString()))
        {
            var read = await socket.ReceiveAsync(buffer);
            if (read == 0)
            {
                throw new InvalidOperationException("closed while waiting for " + code);
            }

            text.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        var last = LastLine().Match(text.ToString()).Groups[1].Value;
        if (last != code)
        {
            throw new InvalidOperationException($"expected {code}, got: {text}");
        }
    }

    [GeneratedRegex(@"(?m)^(\d{3}) .*\r\n\z")]
    private static partial Regex LastLine();

    /// <summary>A server under test in its own process (vsftpd forks per session: its memory is the sum over its process tree).</summary>
    private sealed partial class Server : IDisposable
    {
        private readonly Process _process;
        private readonly TaskCompletionSource<int> _port = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly int? _fixedPort;

        private Server(string name, Process process, int? fixedPort)
        {
            Name = name;
            _process = process;
            _fixedPort = fixedPort;
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

        public static Server Start(string name, string fileName, string[] arguments) =>
            new(name, Process.Start(new ProcessStartInfo("bash", ["-c", "ulimit -n 20000 && exec \"$0\" \"$@\"", fileName, .. arguments])
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardError = true,
            })!, null);

        public static Server StartVsftpd(string root)
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var config = Path.Combine(Path.GetTempPath(), "goplnet-vsftpd.conf");
            File.WriteAllText(config, string.Join('\n',
                "listen=YES", "listen_ipv6=NO", "listen_address=127.0.0.1", $"listen_port={port}", "background=NO",
                "anonymous_enable=YES", $"anon_root={root}", "write_enable=YES", "anon_upload_enable=YES",
                "anon_umask=022", "anon_other_write_enable=YES", "local_enable=NO", "seccomp_sandbox=NO", "pasv_enable=YES", "max_clients=2000", "max_per_ip=2000",
                "use_sendfile=YES", "xferlog_enable=NO", "secure_chroot_dir=/var/run/vsftpd/empty", string.Empty));
            return new Server("vsftpd", Process.Start(new ProcessStartInfo("vsftpd", [config])
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardError = true,
            })!, port);
        }

        public async Task<int> WaitForPortAsync()
        {
            if (_fixedPort is { } port)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
                return port;
            }

            return await _port.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }

        /// <summary>The resident memory of the server and every process it started.</summary>
        public long ResidentKilobytes()
        {
            var total = 0L;
            foreach (var pid in Tree(_process.Id))
            {
                total += ProcessStats.ResidentKilobytes(pid);
            }

            return total;
        }

        public void Dispose()
        {
            _process.StandardInput.Close();
            foreach (var pid in Enumerable.Reverse(Tree(_process.Id)))
            {
                try
                {
                    Process.GetProcessById(pid).Kill();
                }
                catch (ArgumentException)
                {
                    // Gone already.
                }
            }

            _process.WaitForExit(5_000);
            _process.Dispose();
        }

        private static List<int> Tree(int root)
        {
            var result = new List<int> { root };
            for (var i = 0; i < result.Count; i++)
            {
                var children = $"/proc/{result[i]}/task/{result[i]}/children";
                if (File.Exists(children))
                {
                    result.AddRange(File.ReadAllText(children).Split(' ', StringSplitOptions.RemoveEmptyEntries)
                        .Select(p => int.Parse(p, CultureInfo.InvariantCulture)));
                }
            }

            return result;
        }

        [GeneratedRegex(@"listening on 127\.0\.0\.1:(\d+)")]
        private static partial Regex ListeningOn();
    }
}
