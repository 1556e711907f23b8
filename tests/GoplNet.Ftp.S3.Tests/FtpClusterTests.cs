using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using GoplNet.Tests.Hosting;

namespace GoplNet.Ftp.S3.Tests;

/// <summary>
/// Two <c>gopl ftp</c> nodes (the built tool, as operators run it) sharing one s3rver bucket behind
/// a real HAProxy: the control port balanced with PROXY protocol v2, each node's passive range
/// forwarded to that node, the balancer's address announced in PASV. A client uploads through the
/// balancer, downloads on a new session (the other node), both nodes log the client's own address,
/// and when a node dies its next session goes to the other with nothing lost that had its 226.
/// </summary>
[Collection(S3rverGroup.Name)]
public sealed class FtpClusterTests(S3rverFixture s3) : IDisposable
{
    private const string Balancer = "127.0.0.10";
    private const string Client = "127.0.0.3";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _directory = Directory.CreateTempSubdirectory("goplnet-cluster-").FullName;

    [Fact]
    public async Task Two_nodes_behind_haproxy_share_the_bucket_see_the_client_and_survive_a_node_dying()
    {
        var prefix = $"cluster-{Guid.NewGuid():N}/";
        var frontend = FreePorts(1)[0];
        var (passiveA, passiveB) = (FreePorts(5), FreePorts(5));
        await using var nodeA = await Node.StartAsync(s3, prefix, passiveA);
        await using var nodeB = await Node.StartAsync(s3, prefix, passiveB);
        using var haproxy = await HaproxyProcess.StartAsync(_directory, string.Create(CultureInfo.InvariantCulture, $"""
            global
                maxconn 200

            defaults
                mode tcp
                timeout connect 2s
                timeout client 60s
                timeout server 60s
                retries 2
                option redispatch

            frontend ftp
                bind {Balancer}:{frontend}
                default_backend nodes

            backend nodes
                balance roundrobin
                server a 127.0.0.1:{nodeA.Port} send-proxy-v2 check inter 200ms fall 1 rise 1
                server b 127.0.0.1:{nodeB.Port} send-proxy-v2 check inter 200ms fall 1 rise 1

            frontend passive_a
                bind {Balancer}:{passiveA[0]}-{passiveA[^1]}
                default_backend passive_a

            backend passive_a
                server a 127.0.0.1 send-proxy-v2

            frontend passive_b
                bind {Balancer}:{passiveB[0]}-{passiveB[^1]}
                default_backend passive_b

            backend passive_b
                server b 127.0.0.1 send-proxy-v2

            """));
        using (await haproxy.ConnectAsync(IPAddress.Parse(Client), new IPEndPoint(IPAddress.Parse(Balancer), frontend)))
        {
            // HAProxy listens; this first connection is only the readiness probe.
        }

        var payload = new byte[3 * 1024 * 1024 + 17];
        new Random(15).NextBytes(payload);
        var local = Path.Combine(_directory, "payload.bin");
        await File.WriteAllBytesAsync(local, payload);
        var url = $"ftp://alice:secret@{Balancer}:{frontend}/";

        Assert.Equal(0, (await Curl("-T", local, url + "in/payload.bin", "--ftp-create-dirs")).ExitCode);
        var download = Path.Combine(_directory, "download.bin");
        Assert.Equal(0, (await Curl("-o", download, url + "in/payload.bin")).ExitCode);
        Assert.Equal(payload, await File.ReadAllBytesAsync(download));

        // Round robin: one session on each node, and each logged the client's own address, not the balancer's.
        await WaitUntilAsync(() => nodeA.Log.Contains($"logged in from {Client}", StringComparison.Ordinal) && nodeB.Log.Contains($"logged in from {Client}", StringComparison.Ordinal), "both nodes log the client's address");

        // Node A dies in the middle of a logged-in session; the next sessions go to B, and the acknowledged upload is whole.
        var endPoint = new IPEndPoint(IPAddress.Parse(Balancer), frontend);
        var logins = Count(nodeA.Log) + Count(nodeB.Log);
        var onA = Count(nodeA.Log);
        Socket held;
        while (true)
        {
            held = await LogInAsync(haproxy, endPoint);
            await WaitUntilAsync(() => Count(nodeA.Log) + Count(nodeB.Log) == logins + 1, "the node logs the login");
            logins++;
            if (Count(nodeA.Log) > onA)
            {
                break;
            }

            held.Dispose();
        }

        using (held)
        {
            var before = Count(nodeB.Log);
            nodeA.Kill();
            for (var i = 0; i < 3; i++)
            {
                var again = await Curl("-o", download, url + "in/payload.bin");
                Assert.True(again.ExitCode == 0, again.Error);
                Assert.Equal(payload, await File.ReadAllBytesAsync(download));
            }

            await WaitUntilAsync(() => Count(nodeB.Log) == before + 3, "node B logs the three sessions");
        }

        static int Count(string log) => log.Split($"logged in from {Client}").Length - 1;
    }

    /// <summary>A control connection through the balancer from the client's address, logged in as alice.</summary>
    private static async Task<Socket> LogInAsync(HaproxyProcess haproxy, IPEndPoint balancer)
    {
        var socket = await haproxy.ConnectAsync(IPAddress.Parse(Client), balancer);
        using var cts = new CancellationTokenSource(Timeout);
        var buffer = new byte[1024];
        var text = new StringBuilder();
        foreach (var (line, reply) in new[] { ((string?)null, "220 "), ("USER alice", "331 "), ("PASS secret", "230 ") })
        {
            if (line is not null)
            {
                await socket.SendAsync(Encoding.ASCII.GetBytes(line + "\r\n"), cts.Token);
            }

            text.Clear();
            while (!text.ToString().Contains(reply, StringComparison.Ordinal))
            {
                var read = await socket.ReceiveAsync(buffer, cts.Token);
                Assert.True(read > 0, $"the balancer closed the connection waiting for {reply}");
                text.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
        }

        return socket;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting until " + what);
            await Task.Delay(50);
        }
    }

    private static Task<(int ExitCode, string Output, string Error)> Curl(params string[] arguments) =>
        Processes.RunAsync("curl", ["-s", "-S", "--max-time", "30", "--interface", Client, .. arguments], Timeout);

    /// <summary>Consecutive free loopback ports (bound to check, then released).</summary>
    private static int[] FreePorts(int count)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var first = Random.Shared.Next(20_000, 60_000);
            var ports = Enumerable.Range(first, count).ToArray();
            var probes = new List<Socket>();
            try
            {
                foreach (var port in ports)
                {
                    var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    probes.Add(probe);
                    probe.Bind(new IPEndPoint(IPAddress.Any, port));
                }

                return ports;
            }
            catch (SocketException)
            {
                // Taken: try another range.
            }
            finally
            {
                probes.ForEach(p => p.Dispose());
            }
        }

        throw new InvalidOperationException("no free port range");
    }

    /// <summary>A <c>gopl ftp</c> node on the bucket, behind the balancer.</summary>
    private sealed class Node : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _log = new();

        private Node(Process process) => _process = process;

        public int Port { get; private set; }

        public string Log
        {
            get
            {
                lock (_log)
                {
                    return _log.ToString();
                }
            }
        }

        public static async Task<Node> StartAsync(S3rverFixture s3, string prefix, int[] passive, int port = 0)
        {
            var tool = Path.Combine(RepositoryRoot(), "tool", "Gopl", "bin", "Release", "net10.0", "gopl.dll");
            var info = new ProcessStartInfo("dotnet")
            {
                ArgumentList =
                {
                    tool, "ftp", "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--user", "alice:secret",
                    "--s3-bucket", S3rverFixture.Bucket, "--s3-prefix", prefix, "--s3-service-url", s3.ServiceUrl, "--s3-path-style",
                    "--proxy-protocol", "--trusted-proxy", "127.0.0.1", "--passive-address", Balancer,
                    "--passive-ports", $"{passive[0]}-{passive[^1]}",
                },
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
                Environment = { ["AWS_ACCESS_KEY_ID"] = "S3RVER", ["AWS_SECRET_ACCESS_KEY"] = "S3RVER", ["AWS_REGION"] = "us-east-1", ["NO_COLOR"] = "1" },
            };
            var node = new Node(Process.Start(info)!);
            var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            node._process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not { } line)
                {
                    return;
                }

                lock (node._log)
                {
                    node._log.AppendLine(line);
                }

                var at = line.IndexOf("listening on 127.0.0.1:", StringComparison.Ordinal);
                if (at >= 0)
                {
                    var digits = new string(line[(at + "listening on 127.0.0.1:".Length)..].TakeWhile(char.IsAsciiDigit).ToArray());
                    listening.TrySetResult(int.Parse(digits, CultureInfo.InvariantCulture));
                }
            };
            node._process.OutputDataReceived += (_, _) => { };
            node._process.BeginErrorReadLine();
            node._process.BeginOutputReadLine();
            node.Port = await listening.Task.WaitAsync(Timeout);
            return node;
        }

        public void Kill()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(Timeout);
            }
        }

        public ValueTask DisposeAsync()
        {
            Kill();
            _process.Dispose();
            return ValueTask.CompletedTask;
        }

        private static string RepositoryRoot()
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "GoplNet.sln")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new InvalidOperationException("GoplNet.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
