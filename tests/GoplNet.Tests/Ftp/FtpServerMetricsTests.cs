using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace GoplNet.Tests.Ftp;

/// <summary>
/// The meter GoplNet.Ftp seen by an in-process <see cref="MeterListener"/>, as dotnet-counters and
/// OpenTelemetry see it. The meter is shared by every server in the process and other tests run
/// at the same time, so each instrument is checked to have moved at least as far as this test moved it.
/// </summary>
public sealed class FtpServerMetricsTests
{
    [Fact]
    public async Task Sessions_logins_and_transfers_move_the_instruments()
    {
        var totals = new ConcurrentDictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "GoplNet.Ftp")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, 1, tags));
        listener.Start();

        await using var server = await FtpTestServer.StartAsync();
        await using (var client = await FtpTestClient.LoginAsync(server.EndPoint, "alice", "secret"))
        {
            // Other tests' sessions end meanwhile (each -1): what this session added is counted on its own.
            Assert.True(totals.GetValueOrDefault("goplnet.ftp.sessions.active|added") >= 1);
            Assert.Equal(226, (await client.UploadAsync("STOR m.bin", new byte[1000])).Code);
            var (bytes, reply) = await client.DownloadAsync("RETR m.bin");
            Assert.Equal(226, reply.Code);
            Assert.Equal(1000, bytes.Length);
            await client.ExpectAsync("USER alice", 331);
            await client.ExpectAsync("PASS wrong", 530);
        }

        Assert.True(totals.GetValueOrDefault("goplnet.ftp.logins|result=success") >= 1);
        Assert.True(totals.GetValueOrDefault("goplnet.ftp.logins|result=failure") >= 1);
        Assert.True(totals.GetValueOrDefault("goplnet.ftp.transfers|direction=upload,result=complete") >= 1);
        Assert.True(totals.GetValueOrDefault("goplnet.ftp.transfers|direction=download,result=complete") >= 1);
        Assert.True(totals.GetValueOrDefault("goplnet.ftp.transfer.duration|direction=upload,result=complete") >= 1);
        Assert.True(totals.GetValueOrDefault("goplnet.ftp.transfer.bytes|direction=upload") >= 1000);
        Assert.True(totals.GetValueOrDefault("goplnet.ftp.transfer.bytes|direction=download") >= 1000);

        void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var key = instrument.Name;
            if (!tags.IsEmpty)
            {
                var pairs = new List<string>();
                foreach (var tag in tags)
                {
                    pairs.Add($"{tag.Key}={tag.Value}");
                }

                key += "|" + string.Join(',', pairs.Order(StringComparer.Ordinal));
            }

            totals.AddOrUpdate(key, value, (_, total) => total + value);
            if (value > 0)
            {
                totals.AddOrUpdate(key + "|added", value, (_, total) => total + value);
            }
        }
    }
}
