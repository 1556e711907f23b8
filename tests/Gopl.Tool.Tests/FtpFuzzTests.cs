using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Gopl.Tool.Tests;

/// <summary>
/// The FTP command parser under a fixed-seed storm of random and mutated command streams (Telnet
/// bytes, invalid UTF-8, huge and empty lines, NUL bytes, commands out of order, pipelining), sent
/// to a <c>gopl ftp</c> process over many connections at once. The server must stay up, answer
/// only well-formed replies, leak no session, keep everything inside its root, and still serve a
/// normal client afterwards. A failure names the seed and the case, which replays it exactly.
/// </summary>
[Collection(InstalledToolGroup.Name)]
public sealed partial class FtpFuzzTests(InstalledTool tool)
{
    private const int Seed = 20261125;
    private const int Cases = 400;
    private const int Parallel = 8;

    private static readonly string[] Verbs =
    [
        "USER", "PASS", "ACCT", "CWD", "CDUP", "PWD", "LIST", "NLST", "MLSD", "MLST", "RETR", "STOR", "STOU", "APPE",
        "DELE", "MKD", "RMD", "RNFR", "RNTO", "TYPE", "MODE", "STRU", "PASV", "EPSV", "PORT", "EPRT", "REST", "SIZE",
        "MDTM", "STAT", "SITE", "HELP", "NOOP", "FEAT", "OPTS", "SYST", "ABOR", "AUTH", "PBSZ", "PROT", "CCC", "ALLO",
        "XPWD", "XCWD", "XMKD", "XRMD", "XCUP", "QUIT",
    ];

    private static readonly string[] Arguments =
    [
        "", "fuzz", "anonymous", "/", "..", "../../../../etc/passwd", "/../..", "a b", "ünï", "-la", "*", "A", "I", "L 8",
        "127,0,0,1,4,1", "127,0,0,2,200,10", "1,2,3", "|1|127.0.0.1|2000|", "|2|::1|22|", "||||", "0", "-1",
        "99999999999999999999", "TLS", "P", "C", "UTF8 ON", "HELP", "CHMOD 777 x", "x\0y", new string('/', 300),
        "cr\rname", "x\r226 forged",
    ];

    [Fact]
    public async Task Random_and_mutated_command_streams_never_break_the_server()
    {
        var parent = Directory.CreateTempSubdirectory("goplnet-ftp-fuzz-").FullName;
        var root = Directory.CreateDirectory(Path.Combine(parent, "root")).FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(root, "readme.txt"), "fuzz me\n");
            await using var ftp = tool.Start("ftp", "--root", root, "--port", "0", "--user", "fuzz:fuzz", "--anonymous",
                "--max-sessions-per-address", "1000");
            var port = await ClockCommandTests.BoundPortAsync(ftp);
            var endPoint = new IPEndPoint(IPAddress.Loopback, port);
            var random = new Random(Seed);
            var streams = Enumerable.Range(0, Cases).Select(i => Generate(random, i)).ToArray();
            var violations = new List<string>();

            // The first pass also loads what the runtime loads once (assemblies stay mapped); the
            // second must end with no more descriptors than the first: sessions leave nothing behind.
            await StormAsync(endPoint, streams, violations);
            Assert.False(ftp.HasExited, $"gopl ftp exited during the fuzz run (seed {Seed}).\n{ftp.StandardError}");
            await WaitUntilAsync(() => SessionSockets(ftp.Id) == 0, () => $"sessions still open after the first pass (seed {Seed}):\n{Sockets(ftp.Id)}");
            var baseline = OpenDescriptors(ftp.Id);
            await StormAsync(endPoint, streams, violations);

            Assert.False(ftp.HasExited, $"gopl ftp exited during the fuzz run (seed {Seed}).\n{ftp.StandardError}");
            Assert.True(violations.Count == 0, string.Join('\n', violations.Take(20)));
            await WaitUntilAsync(() => SessionSockets(ftp.Id) == 0 && OpenDescriptors(ftp.Id) <= baseline + 2,
                () => $"descriptors: {OpenDescriptors(ftp.Id)} after the second pass, {baseline} after the first (seed {Seed}):\n{Sockets(ftp.Id)}");

            var upload = Path.Combine(parent, "upload.bin");
            var payload = new byte[300_000];
            new Random(Seed).NextBytes(payload);
            await File.WriteAllBytesAsync(upload, payload);
            string[] curl = ["-s", "-S", "--max-time", "20", "--retry", "0", "-u", "fuzz:fuzz"];
            var put = await ProcessRunner.RunAsync("curl", [.. curl, "-T", upload, $"ftp://127.0.0.1:{port}/after-fuzz.bin"], TimeSpan.FromSeconds(30));
            Assert.True(put.ExitCode == 0, put.StandardError);
            var back = Path.Combine(parent, "back.bin");
            var get = await ProcessRunner.RunAsync("curl", [.. curl, "-o", back, $"ftp://127.0.0.1:{port}/after-fuzz.bin"], TimeSpan.FromSeconds(30));
            Assert.True(get.ExitCode == 0, get.StandardError);
            Assert.Equal(payload, await File.ReadAllBytesAsync(back));

            Assert.Equal(["back.bin", "root", "upload.bin"], Directory.GetFileSystemEntries(parent).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }

    /// <summary>Sends every stream on its own connection, <see cref="Parallel"/> at a time, and collects malformed replies.</summary>
    private static async Task StormAsync(IPEndPoint endPoint, byte[][] streams, List<string> violations)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Parallel).Select(async _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < streams.Length)
            {
                var replies = await ExchangeAsync(endPoint, streams[index], index);
                foreach (var line in BadLines(replies))
                {
                    lock (violations)
                    {
                        violations.Add($"seed {Seed}, case {index}: malformed reply line '{line}'");
                    }
                }
            }
        }));
    }

    /// <summary>One command stream: a valid session mutated, random bytes, Telnet noise, invalid UTF-8, huge or odd lines.</summary>
    private static byte[] Generate(Random random, int index)
    {
        var output = new List<byte>();
        switch (index % 6)
        {
            case 0:
                output.AddRange(Mutate(random, ValidSession(random)));
                break;
            case 1:
                output.AddRange(Bytes(random, random.Next(1, 2048)));
                break;
            case 2:
                for (var i = random.Next(1, 20); i > 0; i--)
                {
                    output.AddRange(Line(random));
                    output.AddRange(TelnetNoise(random));
                }

                break;
            case 3:
                output.AddRange(ValidSession(random));
                output.AddRange(InvalidUtf8(random));
                output.AddRange(Line(random));
                break;
            case 4:
                output.AddRange(random.Next(3) switch
                {
                    0 => Encoding.ASCII.GetBytes("USER " + new string('a', 100_000) + "\r\n"),
                    1 => Enumerable.Repeat((byte)'\n', random.Next(1, 5000)),
                    _ => Encoding.ASCII.GetBytes("\r\r\r\n\0\0\r\nNOOP\rNOOP\r\n"),
                });
                break;
            default:
                // Out of order and pipelined: everything in one write, in a shuffled order.
                var lines = Enumerable.Range(0, random.Next(5, 60)).Select(_ => Line(random)).ToList();
                lines.Insert(random.Next(lines.Count), "USER fuzz\r\nPASS fuzz\r\n"u8.ToArray());
                output.AddRange(lines.SelectMany(l => l));
                break;
        }

        if (random.Next(2) == 0)
        {
            output.AddRange("\r\nQUIT\r\n"u8.ToArray());
        }

        return [.. output];
    }

    private static byte[] ValidSession(Random random)
    {
        var user = random.Next(2) == 0 ? "USER fuzz\r\nPASS fuzz\r\n" : "USER anonymous\r\nPASS x\r\n";
        var commands = Enumerable.Range(0, random.Next(1, 12)).Select(_ => Verbs[random.Next(Verbs.Length)] + " " + Arguments[random.Next(Arguments.Length)] + "\r\n");
        return Encoding.UTF8.GetBytes(user + string.Concat(commands));
    }

    private static byte[] Mutate(Random random, byte[] input)
    {
        var bytes = input.ToList();
        for (var n = random.Next(1, 10); n > 0 && bytes.Count > 0; n--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes.Insert(at, (byte)random.Next(256));
                    break;
                case 2:
                    bytes.RemoveAt(at);
                    break;
                case 3:
                    bytes.InsertRange(at, bytes.GetRange(at, Math.Min(random.Next(1, 40), bytes.Count - at)));
                    break;
                default:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
            }
        }

        return [.. bytes];
    }

    private static byte[] Line(Random random) =>
        Encoding.UTF8.GetBytes(Verbs[random.Next(Verbs.Length)] + (random.Next(3) == 0 ? string.Empty : " " + Arguments[random.Next(Arguments.Length)]) + "\r\n");

    private static byte[] TelnetNoise(Random random) => random.Next(4) switch
    {
        0 => [255, 244, 255, 242],
        1 => [255, (byte)random.Next(240, 256), (byte)random.Next(256)],
        2 => [255],
        _ => [255, 255, .. "ABOR\r\n"u8],
    };

    private static byte[] InvalidUtf8(Random random) => random.Next(4) switch
    {
        0 => [.. "CWD "u8, 0xC3, 0x28, .. "\r\n"u8],
        1 => [.. "RETR "u8, 0xFF, 0xFE, .. "\r\n"u8],
        2 => [.. "MKD "u8, 0x80, 0x80, .. "\r\n"u8],
        _ => [.. "USER "u8, 0xC0, 0xAF, .. "\r\n"u8],
    };

    private static byte[] Bytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>
    /// Sends a stream and ends it (half-close), reads replies until the server closes or five
    /// seconds pass, then closes (with a reset). Every third stream goes out in pieces, so lines
    /// arrive split; every other stream opens the data connections that 227 and 229 replies offer,
    /// so transfers run too.
    /// </summary>
    private static async Task<string> ExchangeAsync(IPEndPoint endPoint, byte[] stream, int index)
    {
        var random = new Random(Seed + index);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var received = new List<byte>();
        var transfers = new List<Task>();
        try
        {
            await socket.ConnectAsync(endPoint, cts.Token);
            var reading = ReadAllAsync(socket, received, index % 2 == 0 ? transfers : null, cts.Token);
            for (var sent = 0; sent < stream.Length;)
            {
                var count = index % 3 == 0 ? Math.Min(stream.Length - sent, random.Next(1, 64)) : stream.Length;
                sent += await socket.SendAsync(stream.AsMemory(sent, count), SocketFlags.None, cts.Token);
            }

            socket.Shutdown(SocketShutdown.Send);
            await reading;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            // The server may close mid-stream (a huge line, too many refusals); the stream may hang a transfer.
        }

        Task[] pending;
        lock (transfers)
        {
            pending = [.. transfers];
        }

        await Task.WhenAll(pending);
        socket.LingerState = new LingerOption(true, 0);
        lock (received)
        {
            return Encoding.UTF8.GetString([.. received]);
        }
    }

    private static async Task ReadAllAsync(Socket socket, List<byte> received, List<Task>? transfers, CancellationToken cancellationToken)
    {
        var buffer = new byte[8192];
        var scanned = 0;
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken)) > 0)
        {
            string text;
            lock (received)
            {
                received.AddRange(buffer.AsSpan(0, read));
                text = Encoding.UTF8.GetString([.. received]);
            }

            var end = text.LastIndexOf("\r\n", StringComparison.Ordinal);
            if (transfers is null || end < scanned)
            {
                continue;
            }

            foreach (Match offer in DataOffer().Matches(text[scanned..end]))
            {
                var port = offer.Groups[1].Success
                    ? (int.Parse(offer.Groups[1].Value, CultureInfo.InvariantCulture) * 256) + int.Parse(offer.Groups[2].Value, CultureInfo.InvariantCulture)
                    : int.Parse(offer.Groups[3].Value, CultureInfo.InvariantCulture);
                lock (transfers)
                {
                    transfers.Add(UseDataConnectionAsync(port, cancellationToken));
                }
            }

            scanned = end;
        }
    }

    /// <summary>Connects to an offered data port, sends a little (an upload's bytes) and reads until the server closes.</summary>
    private static async Task UseDataConnectionAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var data = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await data.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
            await data.SendAsync("fuzzed upload\n"u8.ToArray(), SocketFlags.None, cancellationToken);
            data.Shutdown(SocketShutdown.Send);
            var buffer = new byte[65536];
            while (await data.ReceiveAsync(buffer, SocketFlags.None, cancellationToken) > 0)
            {
                // A listing or a file: its content is not judged.
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            // The server may never start the transfer, or cut it.
        }
    }

    /// <summary>
    /// Complete lines that are neither "ddd text", "ddd-text" nor a line inside a multi-line reply,
    /// and lines with a carriage return that is not the CR NUL of RFC 959 (a client could take a
    /// bare CR for a line end and read a forged reply). A last line cut by the time limit is not judged.
    /// </summary>
    private static IEnumerable<string> BadLines(string replies)
    {
        var inMultiLine = false;
        var lines = replies.Split("\r\n");
        for (var i = 0; i < lines.Length - 1; i++)
        {
            var line = lines[i];
            if (line.Replace("\r\0", string.Empty, StringComparison.Ordinal).Contains('\r', StringComparison.Ordinal))
            {
                yield return line.Replace("\r", "\\r", StringComparison.Ordinal) + " (bare CR)";
                continue;
            }

            var match = ReplyLine().Match(line);
            if (match.Success)
            {
                inMultiLine = match.Groups[2].Value == "-";
                continue;
            }

            if (!inMultiLine)
            {
                yield return line;
            }
        }
    }

    private static string Sockets(int pid)
    {
        var ss = ProcessRunner.RunAsync("ss", ["-tanp"], TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
        var files = Directory.GetFiles($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/fd").Select(f => new FileInfo(f).LinkTarget).Where(t => t is not null && !t.StartsWith("socket:", StringComparison.Ordinal));
        return string.Join('\n', ss.StandardOutput.Split('\n').Where(l => l.Contains($"pid={pid.ToString(CultureInfo.InvariantCulture)},", StringComparison.Ordinal)).Concat(files));
    }

    /// <summary>The server's established control connections (anything but its listener).</summary>
    private static int SessionSockets(int pid) => Sockets(pid).Split('\n').Count(l => l.StartsWith("ESTAB", StringComparison.Ordinal) || l.StartsWith("CLOSE-WAIT", StringComparison.Ordinal));

    /// <summary>
    /// The descriptors sessions could leave behind: every open file but the runtime's own
    /// assemblies and symbol files, which it maps once, whenever it first needs them (the
    /// stack-trace reader and a .pdb, say), and keeps for the life of the process.
    /// </summary>
    private static int OpenDescriptors(int pid) =>
        Directory.GetFiles($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/fd")
            .Count(f => new FileInfo(f).LinkTarget is not { } target || !(target.EndsWith(".dll", StringComparison.Ordinal) || target.EndsWith(".pdb", StringComparison.Ordinal)));

    private static async Task WaitUntilAsync(Func<bool> condition, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, describe());
            await Task.Delay(100);
        }
    }

    [GeneratedRegex(@"^([1-5]\d\d)([ -])")]
    private static partial Regex ReplyLine();

    [GeneratedRegex(@"(?m)^(?:227 .*\(\d+,\d+,\d+,\d+,(\d+),(\d+)\)|229 .*\(\|\|\|(\d+)\|\))")]
    private static partial Regex DataOffer();
}
