using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using GoplNet.Hosting;

namespace GoplNet.Tests.Hosting;

/// <summary>
/// The reader behind a real HAProxy (the Debian package haproxy), started in the foreground with a
/// configuration written for each test: a client bound to 127.0.0.3 connects through it, and the
/// header must name that client.
/// </summary>
public sealed class ProxyProtocolHaproxyTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly string _directory = Directory.CreateTempSubdirectory("goplnet-haproxy-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("send-proxy", 1)]
    [InlineData("send-proxy-v2", 2)]
    public async Task HAProxy_forwards_the_real_client_and_the_stream_after_the_header(string sendProxy, int version)
    {
        using var backend = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        backend.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        backend.Listen();
        var backendPort = ((IPEndPoint)backend.LocalEndPoint!).Port;
        var frontendPort = FreePort();
        var config = Path.Combine(_directory, "haproxy.cfg");
        await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $"""
            global
                maxconn 16

            defaults
                mode tcp
                timeout connect 5s
                timeout client 30s
                timeout server 30s

            frontend ftp
                bind 127.0.0.1:{frontendPort}
                default_backend node

            backend node
                server node1 127.0.0.1:{backendPort} {sendProxy}

            """));

        var log = new StringBuilder();
        using var haproxy = Start(log, Haproxy(), "-f", config, "-db");
        try
        {
            using var client = await ConnectThroughAsync(haproxy, log, new IPEndPoint(IPAddress.Loopback, frontendPort));
            await client.SendAsync("USER x\r\n"u8.ToArray());
            using var cts = new CancellationTokenSource(Timeout);
            using var server = await backend.AcceptAsync(cts.Token);

            var header = await ProxyProtocol.ReadAsync(server, TrustedProxies.Parse(["127.0.0.1"]), Timeout, TimeProvider.System, cts.Token);

            Assert.Equal(version, header.Version);
            Assert.True(header.IsProxied);
            Assert.Equal(client.LocalEndPoint, header.Source);
            Assert.Equal(new IPEndPoint(IPAddress.Loopback, frontendPort), header.Destination);
            Assert.Equal("USER x\r\n"u8.ToArray(), await ProxyProtocolTests.ReceiveAsync(server, 8));

            // And back through the proxy: the connection is an ordinary one once the header is read.
            await server.SendAsync("220 ready\r\n"u8.ToArray());
            Assert.Equal("220 ready\r\n"u8.ToArray(), await ProxyProtocolTests.ReceiveAsync(client, 11));
        }
        finally
        {
            Stop(haproxy);
        }
    }

    /// <summary>A loopback port nothing listens on: bound to port 0, then released for HAProxy to take.</summary>
    private static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    /// <summary>HAProxy lives in /usr/sbin, which is not on every user's PATH.</summary>
    private static string Haproxy()
    {
        var directories = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Append("/usr/sbin");
        return directories.Select(d => Path.Combine(d, "haproxy")).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("haproxy is not installed (tests/run installs the Debian package haproxy)");
    }

    /// <summary>Starts a program whose output lines are collected in <paramref name="log"/>, for failure messages.</summary>
    private static Process Start(StringBuilder log, string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file, arguments) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + file);
        process.OutputDataReceived += (_, e) => Append(log, e.Data);
        process.ErrorDataReceived += (_, e) => Append(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>
    /// Connects from 127.0.0.3 once HAProxy listens: it prints nothing when ready in the foreground,
    /// so a refused connection is retried every 20 ms until the time limit, or until HAProxy exits.
    /// </summary>
    private static async Task<Socket> ConnectThroughAsync(Process haproxy, StringBuilder log, IPEndPoint frontend)
    {
        using var cts = new CancellationTokenSource(Timeout);
        while (true)
        {
            var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            client.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.3"), 0));
            try
            {
                await client.ConnectAsync(frontend, cts.Token);
                return client;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
            {
                client.Dispose();
                if (haproxy.HasExited)
                {
                    await haproxy.WaitForExitAsync(cts.Token);
                    lock (log)
                    {
                        Assert.Fail($"haproxy exited with {haproxy.ExitCode} before listening:\n{log}");
                    }
                }

                await Task.Delay(20, cts.Token);
            }
            catch
            {
                client.Dispose();
                throw;
            }
        }
    }

    private static void Append(StringBuilder log, string? line)
    {
        lock (log)
        {
            log.AppendLine(line);
        }
    }

    /// <summary>Ends HAProxy by its process id and waits for it, so no proxy outlives its test.</summary>
    private static void Stop(Process haproxy)
    {
        if (!haproxy.HasExited)
        {
            haproxy.Kill();
        }

        if (!haproxy.WaitForExit(Timeout))
        {
            throw new TimeoutException($"haproxy (pid {haproxy.Id}) did not exit within {Timeout}");
        }
    }
}
