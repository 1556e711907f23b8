using System.Net;
using System.Net.Sockets;
using GoplNet.Clock;
using GoplNet.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace GoplNet.Tests.Net;

public sealed class LineClientTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 8, 1, 2, 50, TimeSpan.Zero);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ReadLinesAsync_reads_a_clock_servers_lines_in_its_zone()
    {
        var time = new FakeTimeProvider(Start);
        await using var server = StartClock(time, "Asia/Tokyo", out var port);
        await server.StartAsync(CancellationToken.None);
        await using var client = new LineClient($"127.0.0.1:{server.LocalEndPoint.Port}");
        await client.ConnectAsync(CancellationToken.None);

        await using var lines = client.ReadLinesAsync(new CancellationTokenSource(Timeout).Token).GetAsyncEnumerator();
        Assert.True(await lines.MoveNextAsync());
        Assert.Equal("17:01:02", lines.Current);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await lines.MoveNextAsync());
        Assert.Equal("17:01:03", lines.Current);
    }

    [Fact]
    public async Task ReadLinesAsync_refuses_a_line_longer_than_the_limit()
    {
        using var listener = Loopback.Listen(out var port);
        var serving = Task.Run(async () =>
        {
            using var peer = await listener.AcceptAsync();
            await peer.SendAsync(new byte[5_000]);
            peer.Shutdown(SocketShutdown.Both);
        });
        await using var client = new LineClient(new HostPort("127.0.0.1", port), new LineClientOptions { MaxLineLength = 1_000 });
        await client.ConnectAsync(CancellationToken.None);

        var error = await Assert.ThrowsAsync<LineClientException>(async () =>
        {
            await foreach (var _ in client.ReadLinesAsync(new CancellationTokenSource(Timeout).Token))
            {
            }
        });
        Assert.Equal(LineClientFailure.LineTooLong, error.Reason);
        Assert.Contains("1000 bytes", error.Message, StringComparison.Ordinal);
        await serving;
    }

    [Fact]
    public async Task ReadLinesAsync_drops_carriage_returns_and_returns_a_last_unterminated_line()
    {
        using var listener = Loopback.Listen(out var port);
        var serving = Task.Run(async () =>
        {
            using var peer = await listener.AcceptAsync();
            await peer.SendAsync("one\r\ntwo\nthree"u8.ToArray());
            peer.Shutdown(SocketShutdown.Both);
        });
        await using var client = new LineClient(new HostPort("127.0.0.1", port));
        await client.ConnectAsync(CancellationToken.None);

        var lines = new List<string>();
        await foreach (var line in client.ReadLinesAsync(new CancellationTokenSource(Timeout).Token))
        {
            lines.Add(line);
        }

        Assert.Equal(["one", "two", "three"], lines);
        await serving;
    }

    [Fact]
    public async Task CopyToAsync_a_text_writer_decodes_characters_split_across_reads()
    {
        using var listener = Loopback.Listen(out var port);
        var serving = Task.Run(async () =>
        {
            using var peer = await listener.AcceptAsync();
            var text = System.Text.Encoding.UTF8.GetBytes("東京 08:01:02\n");
            await peer.SendAsync(text.AsMemory(0, 2));
            await Task.Yield();
            await peer.SendAsync(text.AsMemory(2));
            peer.Shutdown(SocketShutdown.Both);
        });
        await using var client = new LineClient(new HostPort("127.0.0.1", port));
        await client.ConnectAsync(CancellationToken.None);
        var output = new StringWriter();

        await client.CopyToAsync(output, new CancellationTokenSource(Timeout).Token);

        Assert.Equal("東京 08:01:02\n", output.ToString());
        await serving;
    }

    [Theory]
    [InlineData("[::1]", "::1")]
    [InlineData("localhost", "127.0.0.1")]
    public async Task ConnectAsync_reaches_ipv6_literals_and_names(string host, string listenOn)
    {
        var bind = IPAddress.Parse(listenOn);
        using var listener = new Socket(bind.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(bind, 0));
        listener.Listen();
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var serving = Task.Run(async () =>
        {
            using var peer = await listener.AcceptAsync();
            await peer.SendAsync("hello\n"u8.ToArray());
            peer.Shutdown(SocketShutdown.Both);
        });
        await using var client = new LineClient($"{host}:{port}");
        await client.ConnectAsync(new CancellationTokenSource(Timeout).Token);

        var lines = new List<string>();
        await foreach (var line in client.ReadLinesAsync(new CancellationTokenSource(Timeout).Token))
        {
            lines.Add(line);
        }

        Assert.Equal(["hello"], lines);
        await serving.WaitAsync(Timeout);
    }

    [Fact]
    public async Task ConnectAsync_to_a_closed_port_throws_connection_refused()
    {
        using var listener = Loopback.Listen(out var port);
        listener.Dispose();
        await using var client = new LineClient(new HostPort("127.0.0.1", port));

        var error = await Assert.ThrowsAsync<LineClientException>(() => client.ConnectAsync(CancellationToken.None));
        Assert.Equal(LineClientFailure.Refused, error.Reason);
        Assert.Equal("connection refused", error.Message);
        Assert.Equal(new HostPort("127.0.0.1", port), error.Address);
        Assert.Equal(SocketError.ConnectionRefused, error.SocketError);
    }

    [Fact]
    public async Task Half_close_sends_the_end_of_input_and_keeps_reading()
    {
        using var listener = Loopback.Listen(out var port);
        var serving = Task.Run(async () =>
        {
            using var peer = await listener.AcceptAsync();
            var received = new MemoryStream();
            var buffer = new byte[256];
            int read;
            while ((read = await peer.ReceiveAsync(buffer)) > 0)
            {
                received.Write(buffer, 0, read);
            }

            // Only after the client's end of input does the server answer, then close.
            await peer.SendAsync(received.ToArray());
            peer.Shutdown(SocketShutdown.Both);
        });
        await using var client = new LineClient(new HostPort("127.0.0.1", port));
        await client.ConnectAsync(CancellationToken.None);

        await client.CopyFromAsync(new MemoryStream("ping\n"u8.ToArray()), CancellationToken.None);
        var output = new MemoryStream();
        await client.CopyToAsync(output, new CancellationTokenSource(Timeout).Token);

        Assert.Equal("ping\n"u8.ToArray(), output.ToArray());
        await serving;
    }

    [Fact]
    public async Task WatchAsync_reports_a_dead_server_and_reconnects_when_it_returns()
    {
        var time = new FakeTimeProvider(Start);
        var server = StartClock(time, "UTC", out _);
        await server.StartAsync(CancellationToken.None);
        var port = server.LocalEndPoint.Port;
        var options = new LineClientOptions { ReconnectDelay = TimeSpan.FromSeconds(2), ReconnectJitter = 0 };
        await using var client = new LineClient(new HostPort("127.0.0.1", port), options, time);
        using var cts = new CancellationTokenSource(Timeout * 3);
        await using var events = client.WatchAsync(cts.Token).GetAsyncEnumerator();

        Assert.IsType<LineClientEvent.Connecting>(await Next(events));
        var connected = Assert.IsType<LineClientEvent.Connected>(await Next(events));
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, port), connected.RemoteEndPoint);
        Assert.Equal("08:01:02", Assert.IsType<LineClientEvent.LineReceived>(await Next(events)).Line);

        await server.DisposeAsync();
        var disconnected = Assert.IsType<LineClientEvent.Disconnected>(await Next(events));
        Assert.Equal(LineClientFailure.Closed, disconnected.Error.Reason);
        var retrying = Assert.IsType<LineClientEvent.Reconnecting>(await Next(events));
        Assert.Equal(1, retrying.Attempt);
        Assert.Equal(TimeSpan.FromSeconds(2), retrying.Delay);

        // Nobody listens: the attempt is refused and the wait doubles. The wait starts when the
        // enumeration resumes, so time moves only once the next event has been asked for.
        Assert.IsType<LineClientEvent.Connecting>(await AfterAdvance(events, time, TimeSpan.FromSeconds(2)));
        var refused = Assert.IsType<LineClientEvent.ConnectFailed>(await Next(events));
        Assert.Equal(LineClientFailure.Refused, refused.Error.Reason);
        Assert.Equal("connection refused", refused.Error.Message);
        retrying = Assert.IsType<LineClientEvent.Reconnecting>(await Next(events));
        Assert.Equal((2, TimeSpan.FromSeconds(4)), (retrying.Attempt, retrying.Delay));

        await using var again = StartClock(time, "UTC", out _, port);
        await again.StartAsync(CancellationToken.None);
        Assert.IsType<LineClientEvent.Connecting>(await AfterAdvance(events, time, TimeSpan.FromSeconds(4)));
        Assert.IsType<LineClientEvent.Connected>(await Next(events));
        Assert.Equal("08:01:08", Assert.IsType<LineClientEvent.LineReceived>(await Next(events)).Line);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    public async Task WatchAsync_doubles_its_wait_up_to_the_cap_within_the_jitter(double jitter)
    {
        using var listener = Loopback.Listen(out var port);
        listener.Dispose();
        var time = new FakeTimeProvider(Start);
        var options = new LineClientOptions
        {
            ReconnectDelay = TimeSpan.FromSeconds(1), MaxReconnectDelay = TimeSpan.FromSeconds(5), ReconnectJitter = jitter,
        };
        await using var client = new LineClient(new HostPort("127.0.0.1", port), options, time);
        using var cts = new CancellationTokenSource(Timeout * 3);
        await using var events = client.WatchAsync(cts.Token).GetAsyncEnumerator();

        var waits = new List<TimeSpan>();
        Assert.IsType<LineClientEvent.Connecting>(await Next(events));
        for (var attempt = 1; attempt <= 6; attempt++)
        {
            Assert.Equal(LineClientFailure.Refused, Assert.IsType<LineClientEvent.ConnectFailed>(await Next(events)).Error.Reason);
            var retrying = Assert.IsType<LineClientEvent.Reconnecting>(await Next(events));
            Assert.Equal(attempt, retrying.Attempt);
            waits.Add(retrying.Delay);
            Assert.IsType<LineClientEvent.Connecting>(await AfterAdvance(events, time, retrying.Delay));
        }

        double[] nominal = [1, 2, 4, 5, 5, 5];
        for (var i = 0; i < nominal.Length; i++)
        {
            Assert.InRange(waits[i].TotalSeconds, nominal[i] * (1 - jitter), nominal[i] * (1 + jitter));
        }

        if (jitter > 0)
        {
            Assert.True(waits.Skip(3).Distinct().Count() > 1, "three capped waits with jitter should not all be equal");
        }
    }

    [Fact]
    public async Task WatchAsync_keeps_backing_off_from_a_server_that_accepts_and_hangs_up_at_once()
    {
        using var listener = Loopback.Listen(out var port);
        using var stop = new CancellationTokenSource(Timeout * 3);
        var serving = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var peer = await listener.AcceptAsync(stop.Token);
                peer.Shutdown(SocketShutdown.Both);
            }
        });
        var time = new FakeTimeProvider(Start);
        var options = new LineClientOptions { ReconnectDelay = TimeSpan.FromSeconds(1), ReconnectJitter = 0 };
        await using var client = new LineClient(new HostPort("127.0.0.1", port), options, time);
        await using var events = client.WatchAsync(stop.Token).GetAsyncEnumerator();

        var waits = new List<TimeSpan>();
        Assert.IsType<LineClientEvent.Connecting>(await Next(events));
        for (var attempt = 0; attempt < 3; attempt++)
        {
            Assert.IsType<LineClientEvent.Connected>(await Next(events));
            Assert.Equal("closed by the server", Assert.IsType<LineClientEvent.Disconnected>(await Next(events)).Error.Message);
            var retrying = Assert.IsType<LineClientEvent.Reconnecting>(await Next(events));
            waits.Add(retrying.Delay);
            Assert.IsType<LineClientEvent.Connecting>(await AfterAdvance(events, time, retrying.Delay));
        }

        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)], waits);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => serving);
    }

    [Fact]
    public void AddLineClientFactory_hands_out_clients_with_the_containers_options()
    {
        var services = new ServiceCollection();
        services.AddLineClientFactory(o => o.MaxLineLength = 10);
        using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<LineClientFactory>().Create("localhost:8000");

        Assert.Equal(new HostPort("localhost", 8000), client.Address);
        Assert.Equal(10, provider.GetRequiredService<IOptions<LineClientOptions>>().Value.MaxLineLength);
    }

    private static async Task<LineClientEvent> AfterAdvance(IAsyncEnumerator<LineClientEvent> events, FakeTimeProvider time, TimeSpan step)
    {
        var next = events.MoveNextAsync().AsTask();
        time.Advance(step);
        Assert.True(await next.WaitAsync(Timeout));
        return events.Current;
    }

    private static async Task<LineClientEvent> Next(IAsyncEnumerator<LineClientEvent> events)
    {
        Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(Timeout));
        return events.Current;
    }

    private static ClockServer StartClock(TimeProvider time, string zone, out int port, int requestedPort = 0)
    {
        port = requestedPort;
        return new ClockServer(
            Options.Create(new ClockServerOptions { Port = requestedPort, TimeZone = TimeZoneInfo.FindSystemTimeZoneById(zone) }),
            time,
            NullLogger<ClockServer>.Instance);
    }
}
