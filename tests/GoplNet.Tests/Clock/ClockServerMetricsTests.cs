using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using GoplNet.Clock;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace GoplNet.Tests.Clock;

/// <summary>
/// The meter GoplNet.Clock seen by an in-process <see cref="MeterListener"/>. The meter is shared by
/// every clock server in the process and other tests run at the same time, so each instrument is
/// checked to have moved at least as far as this test moved it.
/// </summary>
public sealed class ClockServerMetricsTests
{
    [Fact]
    public async Task Clients_ticks_late_ticks_drops_and_bytes_move_the_instruments()
    {
        var totals = new ConcurrentDictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "GoplNet.Clock")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            totals.AddOrUpdate(instrument.Name, value, (_, total) => total + value);
            if (value > 0)
            {
                totals.AddOrUpdate(instrument.Name + "|added", value, (_, total) => total + value);
            }
            else
            {
                totals.AddOrUpdate(instrument.Name + "|removed", -value, (_, total) => total - value);
            }
        });
        listener.Start();

        // Lines of 256 KiB: a client that does not read fills the kernel's buffers, then the server's bound, within a few dozen ticks.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 10, 0, 0, 50, TimeSpan.Zero));
        var layout = "15:04:05 " + new string('x', 256 * 1024);
        var options = new ClockServerOptions { Port = 0, TimeZone = TimeZoneInfo.Utc, Layout = layout, MaxUnsentBytesPerClient = 1024 * 1024 };
        await using var server = new ClockServer(Options.Create(options), time, NullLogger<ClockServer>.Instance);
        await server.StartAsync(CancellationToken.None);
        await using var stalled = await LineSocket.ConnectAsync(server.LocalEndPoint, receiveBufferSize: 1024);
        await ClockServerTests.WaitUntilAsync(() => server.ClientCount == 1, LineSocket.Timeout);
        Assert.True(totals.GetValueOrDefault("goplnet.clock.clients.accepted") >= 1);
        Assert.True(totals.GetValueOrDefault("goplnet.clock.clients.active|added") >= 1);
        Assert.True(totals.GetValueOrDefault("goplnet.clock.bytes.sent") >= layout.Length);

        // A tick on time, then three seconds in one step: one tick, late (it names 10:00:04; :02 and :03 were missed).
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(totals.GetValueOrDefault("goplnet.clock.ticks") >= 1);
        time.Advance(TimeSpan.FromSeconds(3));
        Assert.True(totals.GetValueOrDefault("goplnet.clock.ticks.late") >= 1);

        var ticks = 0;
        while (server.ClientCount == 1)
        {
            Assert.True(ticks++ < 400, "the stalled client was never dropped");
            time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.True(totals.GetValueOrDefault("goplnet.clock.clients.dropped") >= 1);
        Assert.True(totals.GetValueOrDefault("goplnet.clock.clients.active|removed") >= 1);
        Assert.True(totals.GetValueOrDefault("goplnet.clock.bytes.sent") >= (long)layout.Length * 2);
    }
}
