using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Gopl.Tool.Tests;

[Collection(InstalledToolGroup.Name)]
public sealed partial class ClockCommandTests(InstalledTool tool)
{
    private const int Sigint = 2;
    private const int Sigterm = 15;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData(Sigterm)]
    [InlineData(Sigint)]
    public async Task Clock_serves_the_time_and_stops_on_a_signal_with_exit_0(int signal)
    {
        await using var clock = tool.Start("clock", "--port", "0", "--tz", "Asia/Tokyo");
        var port = await BoundPortAsync(clock);

        using var client = await ConnectAsync(port);
        var first = await ReadLineAsync(client);
        var second = await ReadLineAsync(client);
        Assert.Matches(TimeLine(), first);
        Assert.Matches(TimeLine(), second);
        var expected = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo"));
        var shown = TimeSpan.ParseExact(second, "hh\\:mm\\:ss", System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(Math.Abs((expected.TimeOfDay - shown).TotalSeconds) % 86_400, 0, 5);

        clock.Signal(signal);
        Assert.Equal(0, await clock.WaitForExitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(string.Empty, clock.StandardOutput);
    }

    [Fact]
    public async Task Clock_uses_the_TZ_environment_variable_for_the_local_zone()
    {
        await using var clock = tool.Start(["clock", "--port", "0", "--format", "MST"], new Dictionary<string, string> { ["TZ"] = "Asia/Kolkata" });
        var port = await BoundPortAsync(clock);
        using var client = await ConnectAsync(port);

        Assert.Equal("IST", await ReadLineAsync(client));
    }

    [Theory]
    [InlineData("--tz", "Nowhere/Atlantis")]
    [InlineData("--port", "70000")]
    [InlineData("--port", "http")]
    [InlineData("--interval", "1x")]
    [InlineData("--interval", "-1s")]
    [InlineData("--format", "")]
    [InlineData("--max-clients", "0")]
    [InlineData("--log-format", "xml")]
    public async Task Bad_arguments_exit_2_with_one_line_naming_the_argument(string option, string value)
    {
        var result = await tool.RunAsync("clock", option, value);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.StandardError.TrimEnd('\n').Split('\n'));
        Assert.Contains(option, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_on_a_terminal_are_coloured_unless_NO_COLOR_is_set()
    {
        await using (var coloured = await TmuxSession.StartAsync($"'{tool.ExecutablePath}' clock --port 0"))
        {
            var screen = await coloured.CaptureUntilAsync(s => s.Contains("listening on", StringComparison.Ordinal), escapes: true);
            Assert.Contains('\u001b', screen);
        }

        await using var plain = await TmuxSession.StartAsync($"NO_COLOR=1 '{tool.ExecutablePath}' clock --port 0");
        var noColour = await plain.CaptureUntilAsync(s => s.Contains("listening on", StringComparison.Ordinal), escapes: true);
        Assert.DoesNotContain('\u001b', noColour);
    }

    [Fact]
    public async Task Logs_to_a_redirected_standard_error_carry_no_colour_while_standard_output_is_a_terminal()
    {
        var log = Path.GetTempFileName();
        try
        {
            await using var session = await TmuxSession.StartAsync($"'{tool.ExecutablePath}' clock --port 0 2>'{log}'");
            using var wait = new CancellationTokenSource(Timeout);
            while (!(await File.ReadAllTextAsync(log, wait.Token)).Contains("listening on", StringComparison.Ordinal))
            {
                await Task.Delay(50, wait.Token);
            }

            var text = await File.ReadAllTextAsync(log, wait.Token);
            Assert.DoesNotContain('\u001b', text);
            Assert.Matches(@"^\d\d:\d\d:\d\d info: GoplNet\.Clock\.ClockServer\[1000\] Clock server listening on 127\.0\.0\.1:\d+ ", text);
        }
        finally
        {
            File.Delete(log);
        }
    }

    [Fact]
    public async Task Log_format_json_writes_one_JSON_object_a_log_line()
    {
        await using var clock = tool.Start("clock", "--port", "0", "--log-format", "json");
        await clock.WaitForStandardErrorAsync("\"EventId\":1000", Timeout);
        clock.Signal(Sigterm);
        Assert.Equal(0, await clock.WaitForExitAsync(TimeSpan.FromSeconds(5)));

        var lines = clock.StandardError.TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        var events = lines.Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([1000, 1001], events.Select(e => e.GetProperty("EventId").GetInt32()));
        Assert.All(events, e => Assert.Equal("GoplNet.Clock.ClockServer", e.GetProperty("Category").GetString()));
        Assert.All(events, e => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", e.GetProperty("Timestamp").GetString()));
        Assert.StartsWith("127.0.0.1:", events[0].GetProperty("State").GetProperty("EndPoint").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_in_use_exits_1_with_one_clear_line()
    {
        using var occupant = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        occupant.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        occupant.Listen();
        var port = ((IPEndPoint)occupant.LocalEndPoint!).Port;

        var result = await tool.RunAsync("clock", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"gopl: clock: cannot listen on localhost:{port}: address already in use", result.StandardError.Trim());
    }

    [Fact]
    public async Task At_the_open_file_limit_the_server_keeps_serving_and_recovers()
    {
        // A low descriptor limit for the server alone: the runtime needs a few dozen of its own.
        await using var clock = RunningProcess.Start("bash", ["-c", $"ulimit -n 192 && exec '{tool.ExecutablePath}' clock --port 0 --max-clients 1000"]);
        var port = await BoundPortAsync(clock);

        // Connect until the server runs out of descriptors: the kernel still completes the
        // handshakes, but past the limit accept fails and those clients wait, unserved.
        var clients = new List<Socket>();
        try
        {
            for (var i = 0; i < 160; i++)
            {
                clients.Add(await ConnectSocketAsync(port));
            }

            await clock.WaitForStandardErrorAsync("TooManyOpenSockets", Timeout);

            // Every accepted client is greeted at once; after the next tick (seen on the first
            // client) each of them has data, and the others have not been accepted.
            await ReadLineAsync(clients[0]);
            await ReadLineAsync(clients[0]);
            var served = new List<Socket>();
            var waiting = new List<Socket>();
            foreach (var client in clients)
            {
                (client.Available > 0 ? served : waiting).Add(client);
            }

            Assert.NotEmpty(served);
            Assert.NotEmpty(waiting);

            // The served clients keep getting lines while the server is at its limit.
            foreach (var client in served.Take(5))
            {
                Drain(client);
            }

            foreach (var client in served.Take(5))
            {
                Assert.Matches(TimeLine(), await ReadLineAsync(client));
            }

            // Free descriptors: the waiting clients are accepted and greeted.
            foreach (var client in served.Skip(5).Take(30))
            {
                client.Dispose();
            }

            var recovered = waiting.Take(10).ToList();
            foreach (var client in recovered)
            {
                Assert.Matches(TimeLine(), await ReadLineAsync(client));
            }
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    internal static async Task<int> BoundPortAsync(RunningProcess process)
    {
        await process.WaitForAsync(() => ListeningOn().IsMatch(process.StandardError), "the bound address on stderr", Timeout);
        return int.Parse(ListeningOn().Match(process.StandardError).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<Socket> ConnectSocketAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var cts = new CancellationTokenSource(Timeout);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cts.Token);
        return socket;
    }

    private static Task<Socket> ConnectAsync(int port) => ConnectSocketAsync(port);

    private static void Drain(Socket socket)
    {
        var buffer = new byte[4096];
        while (socket.Available > 0)
        {
            socket.Receive(buffer);
        }
    }

    /// <summary>Reads one line byte by byte (so nothing past it is consumed), with a time limit.</summary>
    private static async Task<string> ReadLineAsync(Socket socket)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var line = new StringBuilder();
        var one = new byte[1];
        while (true)
        {
            var read = await socket.ReceiveAsync(one, SocketFlags.None, cts.Token);
            if (read == 0)
            {
                throw new Xunit.Sdk.XunitException($"connection closed after '{line}'");
            }

            if (one[0] == (byte)'\n')
            {
                return line.ToString();
            }

            line.Append((char)one[0]);
        }
    }

    [GeneratedRegex(@"^\d\d:\d\d:\d\d$")]
    private static partial Regex TimeLine();

    [GeneratedRegex(@"listening on 127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningOn();
}
