using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Gopl.Tool.Tests;

[Collection(InstalledToolGroup.Name)]
public sealed partial class NetcatCommandTests(InstalledTool tool)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Netcat_is_duplex_binary_safe_and_half_closes_at_the_end_of_input()
    {
        // The peer answers only after the end of its input, so the answer arrives only if netcat
        // shut down just its sending side and kept reading.
        await using var echo = new EchoAfterEndOfInput();
        var payload = new byte[256 * 1024];
        new Random(8).NextBytes(payload);
        var input = Path.GetTempFileName();
        var output = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(input, payload);
            var result = await ProcessRunner.RunAsync(
                "bash", ["-c", $"'{tool.ExecutablePath}' netcat 127.0.0.1 {echo.Port} < '{input}' > '{output}'"], Timeout);

            Assert.Equal(0, result.ExitCode);
            Assert.Equal(payload, await File.ReadAllBytesAsync(output));
            Assert.Equal(string.Empty, result.StandardError);
        }
        finally
        {
            File.Delete(input);
            File.Delete(output);
        }
    }

    [Fact]
    public async Task Netcat_with_socat_as_echo_peer_gets_every_reply_after_its_end_of_input_and_reports_with_v()
    {
        // socat runs cat on the connection: cat sees its end of input only when netcat half-closes,
        // and socat closes the connection only after cat's last output, so every line must come back.
        await using var socat = RunningProcess.Start("socat", ["-d", "-d", "TCP4-LISTEN:0,bind=127.0.0.1", "EXEC:cat"]);
        await socat.WaitForStandardErrorAsync("listening on", Timeout);
        var port = SocatPort().Match(socat.StandardError).Groups[1].Value;
        var lines = string.Concat(Enumerable.Range(1, 2_000).Select(i => $"line {i}\n"));

        await using var netcat = tool.Start("netcat", "-v", "-w", "5", "127.0.0.1", port);
        await netcat.StandardInput.WriteAsync(lines);
        netcat.CloseStandardInput();

        Assert.Equal(0, await netcat.WaitForExitAsync(Timeout));
        Assert.Equal(lines, netcat.StandardOutput);
        Assert.Equal(
            [$"netcat: connected to 127.0.0.1:{port}", $"netcat: 127.0.0.1:{port} closed the connection"],
            netcat.StandardError.TrimEnd('\n').Split('\n'));
        Assert.Equal(0, await socat.WaitForExitAsync(Timeout));
    }

    [Fact]
    public async Task Read_only_never_reads_standard_input()
    {
        using var listener = Listen(out var port);
        var received = 0;
        var serving = Task.Run(async () =>
        {
            using var peer = await listener.AcceptAsync();
            await peer.SendAsync("hello\n"u8.ToArray());
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            try
            {
                received = await peer.ReceiveAsync(new byte[64], SocketFlags.None, wait.Token);
            }
            catch (OperationCanceledException)
            {
                // Nothing came, as it should.
            }

            peer.Shutdown(SocketShutdown.Both);
        });

        var result = await ProcessRunner.RunAsync(
            "bash", ["-c", $"echo typed | '{tool.ExecutablePath}' netcat --read-only localhost:{port}"], Timeout);
        await serving;

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("hello\n", result.StandardOutput);
        Assert.Equal(0, received);
    }

    [Fact]
    public async Task A_closed_standard_output_ends_netcat_quietly_with_status_141()
    {
        await using var clock = new GoplNet.Clock.ClockServer(new GoplNet.Clock.ClockServerOptions { Port = 0, Interval = TimeSpan.FromMilliseconds(100) });
        await clock.StartAsync(CancellationToken.None);

        var result = await ProcessRunner.RunAsync(
            "bash", ["-c", $"set -o pipefail; '{tool.ExecutablePath}' netcat 127.0.0.1:{clock.LocalEndPoint.Port} </dev/null | head -3"], Timeout);

        Assert.Equal(141, result.ExitCode);
        Assert.Equal(3, result.StandardOutput.TrimEnd('\n').Split('\n').Length);
        Assert.Equal(string.Empty, result.StandardError);
    }

    [Fact]
    public async Task A_refused_connection_exits_1_with_one_line_naming_the_address()
    {
        using var listener = Listen(out var port);
        listener.Dispose();

        var result = await tool.RunAsync("netcat", $"127.0.0.1:{port}");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"gopl: netcat: cannot connect to 127.0.0.1:{port}: connection refused", result.StandardError.Trim());
    }

    [Fact]
    public async Task A_name_that_does_not_resolve_exits_1_with_one_line()
    {
        var result = await tool.RunAsync("netcat", "nosuchhost.invalid:8000");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("gopl: netcat: cannot connect to nosuchhost.invalid:8000: no such host", result.StandardError.Trim());
    }

    [Fact]
    public async Task A_server_that_never_answers_times_out_after_w_seconds_with_exit_1()
    {
        // A listener whose accept queue is full lets the kernel drop further connection requests
        // unanswered, the way an unreachable host behaves.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var fillers = Enumerable.Range(0, 3).Select(_ => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)).ToList();
        using var stop = new CancellationTokenSource();
        var connecting = fillers.Select(f => f.ConnectAsync(listener.LocalEndPoint!, stop.Token).AsTask()).ToList();
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var result = await tool.RunAsync("netcat", "-w", "1", $"127.0.0.1:{port}");

            Assert.Equal(1, result.ExitCode);
            Assert.Equal($"gopl: netcat: cannot connect to 127.0.0.1:{port}: timed out", result.StandardError.Trim());
            Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(8));
        }
        finally
        {
            await stop.CancelAsync();
            fillers.ForEach(f => f.Dispose());
            await Task.WhenAll(connecting.Select(c => c.ContinueWith(_ => { }, TaskScheduler.Default)));
        }
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("localhost:99999")]
    [InlineData("::1:8000")]
    public async Task A_bad_address_exits_2_with_one_line(string address)
    {
        var result = await tool.RunAsync("netcat", address);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.StandardError.TrimEnd('\n').Split('\n'));
        Assert.Contains(address, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_out_of_range_is_named_as_the_wrong_part()
    {
        var result = await tool.RunAsync("netcat", "localhost", "99999");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("gopl: address: 'localhost:99999' is not host:port: the port 99999 is out of range (1 to 65535)", result.StandardError.Trim());
    }

    private static Socket Listen(out int port)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        return listener;
    }

    /// <summary>Reads everything until the client's end of input, then sends it all back and closes.</summary>
    private sealed class EchoAfterEndOfInput : IAsyncDisposable
    {
        private readonly Socket _listener;
        private readonly Task _serving;

        public EchoAfterEndOfInput()
        {
            _listener = Listen(out var port);
            Port = port;
            _serving = Task.Run(async () =>
            {
                using var peer = await _listener.AcceptAsync();
                var received = new MemoryStream();
                var buffer = new byte[64 * 1024];
                int read;
                while ((read = await peer.ReceiveAsync(buffer)) > 0)
                {
                    received.Write(buffer, 0, read);
                }

                await peer.SendAsync(received.ToArray());
                peer.Shutdown(SocketShutdown.Both);
            });
        }

        public int Port { get; }

        public async ValueTask DisposeAsync()
        {
            _listener.Dispose();
            await _serving.WaitAsync(Timeout);
        }
    }

    [GeneratedRegex(@"listening on AF=2 127\.0\.0\.1:(\d+)")]
    private static partial Regex SocatPort();
}
