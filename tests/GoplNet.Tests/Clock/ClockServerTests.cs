using System.Net;
using GoplNet.Clock;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace GoplNet.Tests.Clock;

public sealed class ClockServerTests
{
    // 50 ms past a whole second, so every step below crosses at most one boundary.
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 10, 0, 0, 50, TimeSpan.Zero);

    private static ClockServer CreateServer(FakeTimeProvider time, Action<ClockServerOptions>? configure = null)
    {
        var options = new ClockServerOptions { Port = 0, TimeZone = TimeZoneInfo.Utc };
        configure?.Invoke(options);
        return new ClockServer(Options.Create(options), time, NullLogger<ClockServer>.Instance);
    }

    private static IPEndPoint EndPoint(ClockServer server) => server.LocalEndPoint;

    [Fact]
    public async Task Clients_get_every_second_once_when_time_moves_in_irregular_steps()
    {
        var time = new FakeTimeProvider(Start);
        await using var server = CreateServer(time);
        await server.StartAsync(CancellationToken.None);
        var clients = new List<LineSocket>();
        for (var i = 0; i < 3; i++)
        {
            var client = await LineSocket.ConnectAsync(EndPoint(server));
            Assert.Equal("10:00:00", await client.ReadLineAsync());
            clients.Add(client);
        }

        // A design that sleeps a second after each write fails this: its third write lands at
        // 4.05 and names 10:00:04, skipping 10:00:03.
        (double Step, string? Line)[] script =
        [
            (0.3, null), (0.9, "10:00:01"), (1.7, "10:00:02"), (0.3, "10:00:03"),
            (0.3, null), (0.5, "10:00:04"), (0.99, "10:00:05"), (3600, "11:00:05"), (0.5, null), (0.5, "11:00:06"),
        ];
        foreach (var (step, line) in script)
        {
            time.Advance(TimeSpan.FromSeconds(step));
            if (line is null)
            {
                continue;
            }

            foreach (var client in clients)
            {
                // The next line read is exactly the expected one: nothing skipped, nothing repeated.
                Assert.Equal(line, await client.ReadLineAsync());
            }
        }

        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_client_that_connects_between_a_boundary_and_a_late_tick_gets_no_repeat()
    {
        var time = new FakeTimeProvider(Start);
        await using var server = CreateServer(time);
        await server.StartAsync(CancellationToken.None);
        await using var early = await LineSocket.ConnectAsync(EndPoint(server));
        Assert.Equal("10:00:00", await early.ReadLineAsync());

        // Move the clock past the boundary without letting the timer run: the tick is late.
        time.AutoAdvanceAmount = TimeSpan.Zero;
        time.SetUtcNow(Start.AddSeconds(1));
        await using var late = await LineSocket.ConnectAsync(EndPoint(server));
        Assert.Equal("10:00:01", await late.ReadLineAsync());
        Assert.Equal("10:00:01", await early.ReadLineAsync());

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("10:00:02", await late.ReadLineAsync());
        Assert.Equal("10:00:02", await early.ReadLineAsync());
    }

    [Fact]
    public async Task Intervals_below_a_second_write_at_each_boundary_of_the_interval()
    {
        var time = new FakeTimeProvider(Start);
        await using var server = CreateServer(time, o =>
        {
            o.Interval = TimeSpan.FromMilliseconds(250);
            o.Layout = "15:04:05.000";
        });
        await server.StartAsync(CancellationToken.None);
        await using var client = await LineSocket.ConnectAsync(EndPoint(server));
        Assert.Equal("10:00:00.000", await client.ReadLineAsync());

        foreach (var expected in new[] { "10:00:00.250", "10:00:00.500", "10:00:00.750", "10:00:01.000" })
        {
            time.Advance(TimeSpan.FromMilliseconds(250));
            Assert.Equal(expected, await client.ReadLineAsync());
        }
    }

    [Fact]
    public async Task Lines_use_the_layout_and_zone_and_end_in_a_newline()
    {
        var time = new FakeTimeProvider(Start);
        await using var server = CreateServer(time, o =>
        {
            o.Layout = "Mon Jan _2 15:04:05 MST 2006";
            o.TimeZone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        });
        await server.StartAsync(CancellationToken.None);
        await using var client = await LineSocket.ConnectAsync(EndPoint(server));

        Assert.Equal("Wed Nov 25 19:00:00 JST 2026", await client.ReadLineAsync());
    }

    [Fact]
    public async Task Sequential_mode_serves_the_next_client_only_after_the_first_leaves()
    {
        var time = new FakeTimeProvider(Start);
        await using var server = CreateServer(time, o => o.Mode = ClockServerMode.Sequential);
        await server.StartAsync(CancellationToken.None);
        var first = await LineSocket.ConnectAsync(EndPoint(server));
        Assert.Equal("10:00:00", await first.ReadLineAsync());
        await using var second = await LineSocket.ConnectAsync(EndPoint(server));

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("10:00:01", await first.ReadLineAsync());
        Assert.Equal(1, server.ClientCount);
        Assert.Equal(0, second.Socket.Available);

        await first.DisposeAsync();

        // The server learns of the close from a failed write: at most two ticks later. The second
        // client is then greeted at once (the count goes 1, 0, 1 too fast to watch): wait for its line.
        var seconds = 1;
        while (second.Socket.Available == 0 && seconds < 6)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            seconds++;
            await WaitUntilAsync(() => second.Socket.Available > 0, TimeSpan.FromMilliseconds(300), throwOnTimeout: false);
        }

        Assert.Equal($"10:00:0{seconds}", await second.ReadLineAsync());
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal($"10:00:0{seconds + 1}", await second.ReadLineAsync());
    }

    [Fact]
    public async Task A_client_that_never_reads_is_dropped_without_affecting_others()
    {
        var time = new FakeTimeProvider(Start);
        var filler = new string('x', 60_000);
        await using var server = CreateServer(time, o =>
        {
            o.Layout = "15:04:05 " + filler;
            o.MaxUnsentBytesPerClient = 64 * 1024;
        });
        await server.StartAsync(CancellationToken.None);
        await using var reader = await LineSocket.ConnectAsync(EndPoint(server));
        await using var stalled = await LineSocket.ConnectAsync(EndPoint(server), receiveBufferSize: 1024);
        Assert.StartsWith("10:00:00 ", await reader.ReadLineAsync(), StringComparison.Ordinal);
        await WaitUntilAsync(() => server.ClientCount == 2, LineSocket.Timeout);

        // The kernel's socket buffers (up to 4 MiB here) fill first, then the server's bound.
        var second = 0;
        while (server.ClientCount == 2)
        {
            Assert.True(second < 400, "the stalled client was never dropped");
            time.Advance(TimeSpan.FromSeconds(1));
            second++;
            var expected = Start.AddSeconds(second).ToString("HH:mm:ss ", System.Globalization.CultureInfo.InvariantCulture) + filler;
            Assert.Equal(expected, await reader.ReadLineAsync());
        }

        Assert.Equal(1, server.ClientCount);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.StartsWith(Start.AddSeconds(second + 1).ToString("HH:mm:ss ", System.Globalization.CultureInfo.InvariantCulture), await reader.ReadLineAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_that_closes_its_sending_side_keeps_receiving()
    {
        var time = new FakeTimeProvider(Start);
        await using var server = CreateServer(time);
        await server.StartAsync(CancellationToken.None);
        await using var client = await LineSocket.ConnectAsync(EndPoint(server));
        Assert.Equal("10:00:00", await client.ReadLineAsync());

        client.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        for (var second = 1; second <= 3; second++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal($"10:00:0{second}", await client.ReadLineAsync());
        }

        Assert.Equal(1, server.ClientCount);
    }

    [Fact]
    public async Task Clients_past_the_cap_are_closed_at_once()
    {
        var time = new FakeTimeProvider(Start);
        await using var server = CreateServer(time, o => o.MaxClients = 2);
        await server.StartAsync(CancellationToken.None);
        await using var first = await LineSocket.ConnectAsync(EndPoint(server));
        await using var second = await LineSocket.ConnectAsync(EndPoint(server));
        Assert.Equal("10:00:00", await first.ReadLineAsync());
        Assert.Equal("10:00:00", await second.ReadLineAsync());

        await using var third = await LineSocket.ConnectAsync(EndPoint(server));
        Assert.Null(await third.ReadLineAsync());
        Assert.Equal(2, server.ClientCount);
    }

    [Fact]
    public async Task A_new_client_is_admitted_at_once_while_a_broadcast_is_running()
    {
        var time = new FakeTimeProvider(Start);
        await using var server = CreateServer(time);
        await server.StartAsync(CancellationToken.None);
        await using var held = await LineSocket.ConnectAsync(EndPoint(server));
        Assert.Equal("10:00:00", await held.ReadLineAsync());
        using var broadcasting = new SemaphoreSlim(0);
        using var release = new ManualResetEventSlim();
        server.Broadcasting = () =>
        {
            broadcasting.Release();
            release.Wait(LineSocket.Timeout);
        };

        // The tick runs the broadcast on the thread that advances the fake clock: hold it open there.
        var tick = Task.Run(() => time.Advance(TimeSpan.FromSeconds(1)));
        Assert.True(await broadcasting.WaitAsync(LineSocket.Timeout));

        // A design that admits under the broadcast's lock never greets this client until the release.
        await using var newcomer = await LineSocket.ConnectAsync(EndPoint(server));
        Assert.Equal("10:00:01", await newcomer.ReadLineAsync());
        Assert.Equal(2, server.ClientCount);

        release.Set();
        await tick.WaitAsync(LineSocket.Timeout);
        server.Broadcasting = null;
        Assert.Equal("10:00:01", await held.ReadLineAsync());

        // The newcomer was not in the broadcast it joined during, and gets the next line once.
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("10:00:02", await newcomer.ReadLineAsync());
        Assert.Equal("10:00:02", await held.ReadLineAsync());
    }

    [Fact]
    public async Task Stop_closes_every_client_and_returns_promptly()
    {
        var time = new FakeTimeProvider(Start);
        var server = CreateServer(time);
        await server.StartAsync(CancellationToken.None);
        var clients = new List<LineSocket>();
        for (var i = 0; i < 5; i++)
        {
            var client = await LineSocket.ConnectAsync(EndPoint(server));
            Assert.Equal("10:00:00", await client.ReadLineAsync());
            clients.Add(client);
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await server.StopAsync(cts.Token);
        await server.DisposeAsync();

        foreach (var client in clients)
        {
            Assert.Null(await client.ReadLineAsync());
            await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task Start_on_a_port_in_use_throws_a_socket_exception()
    {
        var time = new FakeTimeProvider(Start);
        await using var first = CreateServer(time);
        await first.StartAsync(CancellationToken.None);
        await using var second = CreateServer(time, o => o.Port = first.LocalEndPoint.Port);

        var error = await Assert.ThrowsAsync<System.Net.Sockets.SocketException>(() => second.StartAsync(CancellationToken.None));
        Assert.Equal(System.Net.Sockets.SocketError.AddressAlreadyInUse, error.SocketErrorCode);
    }

    [Theory]
    [InlineData("")]
    public void An_empty_layout_is_refused(string layout) =>
        Assert.Throws<ArgumentException>(() => new ClockServer(new ClockServerOptions { Layout = layout }));

    [Fact]
    public void Options_out_of_range_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new ClockServer(new ClockServerOptions { Port = 70_000 }));
        Assert.Throws<ArgumentException>(() => new ClockServer(new ClockServerOptions { Interval = TimeSpan.Zero }));
        Assert.Throws<ArgumentException>(() => new ClockServer(new ClockServerOptions { MaxClients = 0 }));
    }

    internal static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, bool throwOnTimeout = true)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                if (throwOnTimeout)
                {
                    throw new TimeoutException("condition not met within " + timeout);
                }

                return;
            }

            await Task.Delay(10);
        }
    }
}
