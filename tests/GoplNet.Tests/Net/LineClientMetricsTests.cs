using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net.Sockets;
using GoplNet.Net;
using Microsoft.Extensions.Time.Testing;

namespace GoplNet.Tests.Net;

/// <summary>
/// The meter GoplNet.Net seen by an in-process <see cref="MeterListener"/>. The meter is shared by
/// every client in the process and other tests run at the same time, so only measurements tagged
/// with this test's server port are counted.
/// </summary>
public sealed class LineClientMetricsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Connects_lines_bytes_failures_and_reconnects_move_the_instruments()
    {
        using var listener = Loopback.Listen(out var port);
        using var measurements = new Measurements(port);
        var serving = Task.Run(async () =>
        {
            using var peer = await listener.AcceptAsync();
            var ping = new byte[5];
            var read = 0;
            while (read < ping.Length)
            {
                read += await peer.ReceiveAsync(ping.AsMemory(read));
            }

            await peer.SendAsync("one\ntwo\n"u8.ToArray());
            peer.Shutdown(SocketShutdown.Both);
        });

        await using (var client = new LineClient(new HostPort("127.0.0.1", port)))
        {
            await client.ConnectAsync(new CancellationTokenSource(Timeout).Token);
            await client.SendLineAsync("ping", CancellationToken.None);
            Assert.Equal(["one", "two"], await client.ReadLinesAsync(new CancellationTokenSource(Timeout).Token).ToListAsync());
        }

        await serving.WaitAsync(Timeout);
        listener.Dispose();

        // The watch is refused once, and schedules a reconnection.
        var time = new FakeTimeProvider();
        await using var watcher = new LineClient(new HostPort("127.0.0.1", port), new LineClientOptions { ReconnectJitter = 0 }, time);
        using var stop = new CancellationTokenSource(Timeout);
        await using var events = watcher.WatchAsync(stop.Token).GetAsyncEnumerator();
        while (await events.MoveNextAsync().AsTask().WaitAsync(Timeout) && events.Current is not LineClientEvent.Reconnecting)
        {
        }

        Assert.Equal(1, measurements.Total("goplnet.net.client.connects"));
        Assert.Equal(2, measurements.Total("goplnet.net.client.lines.received"));
        Assert.Equal(8, measurements.Total("goplnet.net.client.bytes|direction=receive"));
        Assert.Equal(5, measurements.Total("goplnet.net.client.bytes|direction=transmit"));
        Assert.Equal(1, measurements.Total("goplnet.net.client.connect.failures|reason=refused"));
        Assert.Equal(1, measurements.Total("goplnet.net.client.reconnects"));
    }

    /// <summary>Sums the measurements of one server port by instrument and tags (the server tags left out of the key).</summary>
    private sealed class Measurements : IDisposable
    {
        private readonly ConcurrentDictionary<string, long> _totals = new();
        private readonly MeterListener _listener = new();

        public Measurements(int port)
        {
            var portText = port.ToString(CultureInfo.InvariantCulture);
            _listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "GoplNet.Net")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                var pairs = new List<string>();
                var ours = false;
                foreach (var tag in tags)
                {
                    if (tag.Key == "server.port")
                    {
                        ours = (string?)tag.Value == portText;
                    }
                    else if (tag.Key != "server.address")
                    {
                        pairs.Add($"{tag.Key}={tag.Value}");
                    }
                }

                if (ours)
                {
                    var key = pairs.Count == 0 ? instrument.Name : $"{instrument.Name}|{string.Join(',', pairs.Order(StringComparer.Ordinal))}";
                    _totals.AddOrUpdate(key, value, (_, total) => total + value);
                }
            });
            _listener.Start();
        }

        public long Total(string key) => _totals.GetValueOrDefault(key);

        public void Dispose() => _listener.Dispose();
    }
}
