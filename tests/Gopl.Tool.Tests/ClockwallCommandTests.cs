using System.Text.Json;
using System.Text.RegularExpressions;
using GoplNet.Clock;
using GoplNet.Time;

namespace Gopl.Tool.Tests;

[Collection(InstalledToolGroup.Name)]
public sealed partial class ClockwallCommandTests(InstalledTool tool)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Redirected_output_is_one_plain_line_a_second_in_argument_order()
    {
        await using var newYork = await StartClockAsync("America/New_York");
        await using var tokyo = await StartClockAsync("Asia/Tokyo");
        await using var wall = tool.Start("clockwall", $"NewYork=127.0.0.1:{newYork.LocalEndPoint.Port}", $"Tokyo=localhost:{tokyo.LocalEndPoint.Port}");

        var line = await WaitForLineAsync(wall, l => PlainRow().IsMatch(l));
        var match = PlainRow().Match(line);
        var tokyoHour = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo")).Hour;
        Assert.InRange(Math.Abs(int.Parse(match.Groups["tokyo"].Value[..2], System.Globalization.CultureInfo.InvariantCulture) - tokyoHour) % 23, 0, 1);
        Assert.DoesNotContain('\u001b', wall.StandardOutput);
    }

    [Fact]
    public async Task Json_output_names_every_clock_with_state_value_and_age()
    {
        await using var london = await StartClockAsync("Europe/London");
        using var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var deadPort = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        await using var wall = tool.Start("clockwall", "--json", $"London=127.0.0.1:{london.LocalEndPoint.Port}", $"Nowhere=127.0.0.1:{deadPort}");

        // Connected comes a moment before the first line: wait for a row with London's time.
        var line = await WaitForLineAsync(wall, l => l.Contains("\"state\":\"up\",\"reason\":null,\"value\":\"", StringComparison.Ordinal) && l.Contains("\"state\":\"down\"", StringComparison.Ordinal));
        using var document = JsonDocument.Parse(line);
        var clocks = document.RootElement.GetProperty("clocks").EnumerateArray().ToList();
        Assert.Equal(2, clocks.Count);
        Assert.Equal("London", clocks[0].GetProperty("name").GetString());
        Assert.Equal($"127.0.0.1:{london.LocalEndPoint.Port}", clocks[0].GetProperty("address").GetString());
        Assert.Matches(@"^\d\d:\d\d:\d\d$", clocks[0].GetProperty("value").GetString());
        Assert.InRange(clocks[0].GetProperty("ageMs").GetInt64(), 0, 3_000);
        Assert.Equal("Nowhere", clocks[1].GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, clocks[1].GetProperty("value").ValueKind);
        Assert.Equal(JsonValueKind.Null, clocks[0].GetProperty("reason").ValueKind);
        Assert.Equal("connection refused", clocks[1].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_clock_that_dies_shows_down_while_the_others_go_on_and_recovers_when_it_returns()
    {
        await using var steady = await StartClockAsync("UTC");
        var flaky = await StartClockAsync("UTC");
        var flakyPort = flaky.LocalEndPoint.Port;
        await using var wall = tool.Start("clockwall", $"Steady=127.0.0.1:{steady.LocalEndPoint.Port}", $"Flaky=127.0.0.1:{flakyPort}");
        await WaitForLineAsync(wall, l => BothUp().IsMatch(l));

        await flaky.DisposeAsync();
        var down = await WaitForLineAsync(wall, l => l.Contains("Flaky down", StringComparison.Ordinal));
        Assert.Matches(@"^Steady \d\d:\d\d:\d\d  Flaky down$", down);
        var before = wall.StandardOutput.Length;

        await using var back = new ClockServer(new ClockServerOptions { Port = flakyPort, TimeZone = TimeZoneInfo.Utc });
        await back.StartAsync(CancellationToken.None);
        await WaitForLineAsync(wall, l => BothUp().IsMatch(l), from: before);
    }

    [Fact]
    public async Task A_clock_whose_server_stops_sending_but_stays_connected_is_marked_stale()
    {
        // The silent peer sends one line and then holds the connection open without a word.
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var silentPort = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        using var stop = new CancellationTokenSource(Timeout);
        var serving = Task.Run(async () =>
        {
            using var peer = await listener.AcceptTcpClientAsync(stop.Token);
            await peer.GetStream().WriteAsync("08:01:02\n"u8.ToArray(), stop.Token);
            await Task.Delay(Timeout, stop.Token);
        });
        await using var steady = await StartClockAsync("UTC");
        await using var wall = tool.Start("clockwall", "--stale-after", "1s", $"Silent=127.0.0.1:{silentPort}", $"Steady=127.0.0.1:{steady.LocalEndPoint.Port}");

        await WaitForLineAsync(wall, l => l.StartsWith("Silent 08:01:02  Steady ", StringComparison.Ordinal));
        await WaitForLineAsync(wall, l => StaleRow().IsMatch(l));

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => serving);
    }

    [Theory]
    [InlineData("Tokyo")]
    [InlineData("=localhost:8020")]
    [InlineData("X=localhost:notaport")]
    [InlineData("X=localhost:1", "X=localhost:2")]
    public async Task Bad_clocks_exit_2_with_one_line_naming_the_argument(params string[] arguments)
    {
        var result = await tool.RunAsync(["clockwall", .. arguments]);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.StandardError.TrimEnd('\n').Split('\n'));
        Assert.Contains(arguments[^1], line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_a_terminal_the_table_is_redrawn_in_place()
    {
        await using var tokyo = await StartClockAsync("Asia/Tokyo");
        await using var session = await OnTerminalAsync(60, 12, $"Tokyo=127.0.0.1:{tokyo.LocalEndPoint.Port} Gone=127.0.0.1:1");
        var first = await session.CaptureUntilAsync(s => TableRow().IsMatch(s));
        var firstTime = TableRow().Match(first).Groups[1].Value;
        var second = await session.CaptureUntilAsync(s => TableRow().Match(s) is { Success: true } m && m.Groups[1].Value != firstTime);

        // Redrawn, not scrolled: one header, one row per clock, at the top of the screen.
        var lines = second.Split('\n');
        Assert.StartsWith("CLOCK", lines[0], StringComparison.Ordinal);
        Assert.Single(lines, l => l.StartsWith("CLOCK", StringComparison.Ordinal));
        Assert.Single(lines, l => l.StartsWith("Tokyo", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Gone", StringComparison.Ordinal) && l.Contains("down", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.True(l.Length <= 60));
    }

    [Fact]
    public async Task On_a_narrow_terminal_rows_are_cut_to_its_width_and_a_resize_redraws_them_whole()
    {
        await using var tokyo = await StartClockAsync("Asia/Tokyo");
        await using var session = await OnTerminalAsync(20, 6, $"Tokyo=127.0.0.1:{tokyo.LocalEndPoint.Port} Gone=127.0.0.1:1");
        var narrow = await session.CaptureUntilAsync(s => s.Contains("Tokyo", StringComparison.Ordinal) && s.Contains("Gone", StringComparison.Ordinal));
        var narrowLines = narrow.TrimEnd('\n').Split('\n');
        Assert.All(narrowLines, l => Assert.True(l.Length < 20, $"'{l}' is wider than the terminal"));
        Assert.Single(narrowLines, l => l.StartsWith("CLOCK", StringComparison.Ordinal));

        await session.ResizeAsync(100, 6);
        var wide = await session.CaptureUntilAsync(s => s.Contains("reconnecting in", StringComparison.Ordinal) && TableRow().IsMatch(s));
        var wideLines = wide.TrimEnd('\n').Split('\n');
        Assert.StartsWith("CLOCK", wideLines[0], StringComparison.Ordinal);
        Assert.Single(wideLines, l => l.StartsWith("CLOCK", StringComparison.Ordinal));
        Assert.Single(wideLines, l => l.StartsWith("Tokyo", StringComparison.Ordinal));
    }

    [Fact]
    public async Task On_a_terminal_the_time_column_widens_to_a_long_layout()
    {
        await using var rfc = await StartClockAsync("Asia/Tokyo", GoTimeFormat.RFC1123);
        await using var session = await OnTerminalAsync(100, 8, $"Tokyo=127.0.0.1:{rfc.LocalEndPoint.Port} Gone=127.0.0.1:1");
        var screen = await session.CaptureUntilAsync(s => LongTableRow().IsMatch(s) && s.Contains("Gone", StringComparison.Ordinal));

        // Every row's status starts in the header's STATUS column, after the whole time.
        var lines = screen.Split('\n');
        var column = lines[0].IndexOf("STATUS", StringComparison.Ordinal);
        Assert.True(column > 0, screen);
        Assert.Equal("up", lines.Single(l => l.StartsWith("Tokyo", StringComparison.Ordinal))[column..].TrimEnd());
        Assert.StartsWith("down", lines.Single(l => l.StartsWith("Gone", StringComparison.Ordinal))[column..], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redirected_rows_quote_values_with_spaces()
    {
        await using var ansic = await StartClockAsync("UTC", GoTimeFormat.ANSIC);
        await using var wall = tool.Start("clockwall", $"UTC=127.0.0.1:{ansic.LocalEndPoint.Port}", "Gone=127.0.0.1:1");

        var line = await WaitForLineAsync(wall, l => l.StartsWith("UTC \"", StringComparison.Ordinal));
        Assert.Matches(@"^UTC ""\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}""  Gone (down|connecting)$", line);
    }

    [Fact]
    public async Task A_closed_standard_output_ends_the_wall_with_status_141()
    {
        await using var clock = await StartClockAsync("UTC");
        var result = await ProcessRunner.RunAsync(
            "bash", ["-c", $"set -o pipefail; '{tool.ExecutablePath}' clockwall A=127.0.0.1:{clock.LocalEndPoint.Port} | head -2"], Timeout);

        Assert.Equal(141, result.ExitCode);
        Assert.Equal(2, result.StandardOutput.TrimEnd('\n').Split('\n').Length);
        Assert.Equal(string.Empty, result.StandardError);
    }

    /// <summary>Runs the wall on a terminal of the given size.</summary>
    private Task<TmuxSession> OnTerminalAsync(int width, int height, string clocks) =>
        TmuxSession.StartAsync($"'{tool.ExecutablePath}' clockwall {clocks}", width, height);

    private static async Task<ClockServer> StartClockAsync(string zone, string layout = "15:04:05")
    {
        var server = new ClockServer(new ClockServerOptions { Port = 0, TimeZone = TimeZoneInfo.FindSystemTimeZoneById(zone), Layout = layout });
        await server.StartAsync(CancellationToken.None);
        return server;
    }

    private static async Task<string> WaitForLineAsync(RunningProcess wall, Func<string, bool> condition, int from = 0)
    {
        string? found = null;
        await wall.WaitForAsync(
            () => (found = wall.StandardOutput[Math.Min(from, wall.StandardOutput.Length)..].Split('\n').FirstOrDefault(condition)) is not null,
            "a matching line from the wall",
            Timeout);
        return found!;
    }

    [GeneratedRegex(@"^NewYork (?<ny>\d\d:\d\d:\d\d)  Tokyo (?<tokyo>\d\d:\d\d:\d\d)$")]
    private static partial Regex PlainRow();

    [GeneratedRegex(@"^Steady \d\d:\d\d:\d\d  Flaky \d\d:\d\d:\d\d$")]
    private static partial Regex BothUp();

    [GeneratedRegex(@"^Silent stale  Steady \d\d:\d\d:\d\d$")]
    private static partial Regex StaleRow();

    [GeneratedRegex(@"(?m)^Tokyo\s+(\d\d:\d\d:\d\d)\s+up")]
    private static partial Regex TableRow();

    [GeneratedRegex(@"(?m)^Tokyo\s+\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d JST\s+up")]
    private static partial Regex LongTableRow();
}
