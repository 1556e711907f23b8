using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GoplNet.Tests.Hosting;

/// <summary>
/// A real HAProxy (the Debian package haproxy) run in the foreground (<c>-db</c>) with a configuration
/// written to a temporary folder: <c>mode tcp</c> from a loopback frontend port to one backend server.
/// Disposing it kills it by its process id and waits for it, so no proxy outlives its test.
/// </summary>
internal sealed class HaproxyProcess : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private HaproxyProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Writes the configuration into <paramref name="directory"/> and starts HAProxy with it.</summary>
    /// <param name="directory">A temporary folder for <c>haproxy.cfg</c>.</param>
    /// <param name="frontendPort">The loopback port HAProxy listens on.</param>
    /// <param name="backend">The test's listener, HAProxy's only server.</param>
    /// <param name="serverOptions">The server line's options: <c>send-proxy</c>, <c>send-proxy-v2</c>, <c>check</c>.</param>
    public static async Task<HaproxyProcess> StartAsync(string directory, int frontendPort, EndPoint backend, string serverOptions)
    {
        var config = Path.Combine(directory, "haproxy.cfg");
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
                server node1 {backend} {serverOptions}

            """));
        return Start(config);
    }

    /// <summary>Starts HAProxy in the foreground on a configuration of the test's own (written to <paramref name="directory"/>).</summary>
    public static async Task<HaproxyProcess> StartAsync(string directory, string configuration)
    {
        var config = Path.Combine(directory, "haproxy.cfg");
        await File.WriteAllTextAsync(config, configuration);
        return Start(config);
    }

    private static HaproxyProcess Start(string config)
    {
        var info = new ProcessStartInfo(Executable(), ["-f", config, "-db"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        return new HaproxyProcess(Process.Start(info) ?? throw new InvalidOperationException("could not start haproxy"));
    }

    /// <summary>A loopback port nothing listens on: bound to port 0, then released for HAProxy to take.</summary>
    public static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    /// <summary>
    /// Connects from <paramref name="source"/> once HAProxy listens: it prints nothing when ready in the
    /// foreground, so a refused connection is retried every 20 ms until the time limit, or until HAProxy exits.
    /// </summary>
    public async Task<Socket> ConnectAsync(IPAddress source, IPEndPoint frontend)
    {
        using var cts = new CancellationTokenSource(Timeout);
        while (true)
        {
            var client = new Socket(source.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            client.Bind(new IPEndPoint(source, 0));
            try
            {
                await client.ConnectAsync(frontend, cts.Token);
                return client;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
            {
                client.Dispose();
                if (_process.HasExited)
                {
                    await _process.WaitForExitAsync(cts.Token);
                    Assert.Fail($"haproxy exited with {_process.ExitCode} before listening:\n{Log}");
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

    /// <inheritdoc/>
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        if (!_process.WaitForExit(Timeout))
        {
            throw new TimeoutException($"haproxy (pid {_process.Id}) did not exit within {Timeout}");
        }

        _process.Dispose();
    }

    private string Log
    {
        get { lock (_log) { return _log.ToString(); } }
    }

    /// <summary>HAProxy lives in /usr/sbin, which is not on every user's PATH.</summary>
    private static string Executable()
    {
        var directories = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Append("/usr/sbin");
        return directories.Select(d => Path.Combine(d, "haproxy")).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("haproxy is not installed (tests/run installs the Debian package haproxy)");
    }

    private void Append(string? line)
    {
        lock (_log)
        {
            _log.AppendLine(line);
        }
    }
}
