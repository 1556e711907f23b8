using System.Net.Sockets;

namespace GoplNet.Tests.Ftp;

/// <summary>
/// Downloads count their progress as bytes go out, not per chunk handed to the kernel's zero-copy
/// send: a client that reads steadily but slowly, with a small receive buffer, keeps a download
/// alive under a stall timeout far shorter than the time a chunk takes to drain at its pace.
/// </summary>
public sealed class FtpSlowReaderTests
{
    [Fact]
    public async Task A_steady_slow_reader_is_not_cut_off_as_stalled()
    {
        const int size = 12 * 1024 * 1024;
        await using var server = await FtpTestServer.StartAsync(o => o.StalledTransferTimeout = TimeSpan.FromSeconds(1));
        await using (var file = File.Create(Path.Combine(server.Root, "big.bin")))
        {
            file.SetLength(size);
        }

        await using var client = await FtpTestClient.LoginAsync(server.EndPoint);
        using var data = await client.PassiveAsync(receiveBufferSize: 64 * 1024);
        await client.ExpectAsync("RETR big.bin", 150);

        // About 4 MB/s, 64 KiB at a time: a 4 MiB chunk takes about a second to drain, as long as the stall timeout.
        var buffer = new byte[64 * 1024];
        long total = 0;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        int read;
        while ((read = await data.ReceiveAsync(buffer, SocketFlags.None, cts.Token)) > 0)
        {
            total += read;
            await Task.Delay(15, cts.Token);
        }

        Assert.Equal(226, (await client.ReadAsync()).Code);
        Assert.Equal(size, total);
    }
}
