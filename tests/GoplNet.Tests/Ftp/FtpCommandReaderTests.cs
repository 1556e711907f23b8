using System.Net;
using System.Net.Sockets;
using GoplNet.Ftp.Protocol;

namespace GoplNet.Tests.Ftp;

public sealed class FtpCommandReaderTests
{
    [Fact]
    public async Task Telnet_sequences_are_dropped_and_pipelined_lines_read_in_order()
    {
        var (client, server) = await PairAsync();
        using (client)
        using (server)
        {
            var reader = new FtpCommandReader(new NetworkStream(server), 64);
            byte[] stream = [.. "NOOP\r\nTYPE I\r\n"u8, 255, 244, 255, 242, .. "ABOR\r\n"u8, 255, 251, 1, .. "PWD\n"u8];
            await client.SendAsync(stream);
            client.Shutdown(SocketShutdown.Send);

            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            Assert.Equal("NOOP", await reader.ReadLineAsync(cts.Token));
            Assert.Equal("TYPE I", await reader.ReadLineAsync(cts.Token));
            Assert.Equal("ABOR", await reader.ReadLineAsync(cts.Token));
            Assert.Equal("PWD", await reader.ReadLineAsync(cts.Token));
            Assert.Null(await reader.ReadLineAsync(cts.Token));
        }
    }

    [Fact]
    public async Task A_line_past_the_limit_is_refused_without_buffering_it_whole()
    {
        var (client, server) = await PairAsync();
        using (client)
        using (server)
        {
            var reader = new FtpCommandReader(new NetworkStream(server), 64);
            await client.SendAsync(new byte[100_000]);

            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await Assert.ThrowsAsync<InvalidDataException>(async () => await reader.ReadLineAsync(cts.Token));
        }
    }

    private static async Task<(Socket Client, Socket Server)> PairAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalEndPoint!);
        return (client, await listener.AcceptAsync());
    }
}
