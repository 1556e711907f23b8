using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using GoplNet.Ftp;
using GoplNet.Ftp.Authentication;
using GoplNet.Ftp.Events;
using GoplNet.Ftp.Storage;
using GoplNet.Tests.Hosting;

namespace GoplNet.Tests.Ftp;

/// <summary>
/// The FTP server behind a real HAProxy sending PROXY headers: the session sees the client's own
/// address (events, limits, the passive-connection check), and nobody but the balancer may connect.
/// </summary>
public sealed class FtpProxyProtocolTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("goplnet-ftp-proxy-").FullName;

    [Theory]
    [InlineData("send-proxy")]
    [InlineData("send-proxy-v2")]
    public async Task Behind_haproxy_the_session_sees_the_real_client_address(string sendProxy)
    {
        var files = new InMemoryFtpFileSystem();
        var logins = new Logins();
        var options = new FtpServerOptions { Port = 0, FileSystem = files, ProxyProtocol = true, TrustedProxies = { "127.0.0.1/32" }, MaxSessionsPerAddress = 1, Events = { logins } };
        options.Users.Add(FtpUser.WithPassword("alice", "secret"));
        await using var server = new FtpServer(options);
        await server.StartAsync(CancellationToken.None);
        var frontend = new IPEndPoint(IPAddress.Loopback, HaproxyProcess.FreePort());
        using var haproxy = await HaproxyProcess.StartAsync(_directory, frontend.Port, server.LocalEndPoint, sendProxy);

        var client = FtpTestClient.Over(await haproxy.ConnectAsync(IPAddress.Parse("127.0.0.3"), frontend), server.LocalEndPoint);
        await using (client)
        {
            Assert.Equal(220, (await client.ReadAsync()).Code);
            await client.ExpectAsync("USER alice", 331);
            await client.ExpectAsync("PASS secret", 230);
            await client.ExpectAsync("TYPE I", 200);

            // The passive connection comes straight from the client's own address.
            using var data = await client.PassiveAsync(from: IPAddress.Parse("127.0.0.3"));
            await client.ExpectAsync("STOR via-balancer.txt", 150);
            await data.SendAsync("through the balancer\n"u8.ToArray());
            data.Shutdown(System.Net.Sockets.SocketShutdown.Send);
            Assert.Equal(226, (await client.ReadAsync()).Code);

            // The per-address limit counts the client, not the balancer: a second client from elsewhere gets in.
            await using var other = FtpTestClient.Over(await haproxy.ConnectAsync(IPAddress.Parse("127.0.0.4"), frontend), server.LocalEndPoint);
            Assert.Equal(220, (await other.ReadAsync()).Code);
        }

        Assert.Equal("through the balancer\n"u8.ToArray(), files.ReadAllBytes("/via-balancer.txt"));
        Assert.Equal(IPAddress.Parse("127.0.0.3"), Assert.Single(logins.Addresses));
    }

    [Fact]
    public async Task A_passive_connection_from_the_balancer_must_name_the_sessions_client()
    {
        var files = new InMemoryFtpFileSystem();
        files.WriteAllBytes("/mine.txt", "for 127.0.0.3 only\n"u8);
        var options = new FtpServerOptions { Port = 0, FileSystem = files, ProxyProtocol = true, TrustedProxies = { "127.0.0.1" } };
        options.Users.Add(FtpUser.WithPassword("alice", "secret"));
        await using var server = new FtpServer(options);
        await server.StartAsync(CancellationToken.None);

        // The balancer (127.0.0.1) forwards the client 127.0.0.3's control connection.
        await using var client = await FtpTestClient.ConnectAsync(server.LocalEndPoint, IPAddress.Loopback);
        await client.SendRawAsync(Encoding.ASCII.GetBytes($"PROXY TCP4 127.0.0.3 127.0.0.1 40000 {server.LocalEndPoint.Port}\r\n"));
        Assert.Equal(220, (await client.ReadAsync()).Code);
        await client.ExpectAsync("USER alice", 331);
        await client.ExpectAsync("PASS secret", 230);
        await client.ExpectAsync("TYPE I", 200);
        var port = int.Parse(Regex.Match((await client.ExpectAsync("EPSV", 229)).Text, @"\|\|\|(\d+)\|").Groups[1].Value, CultureInfo.InvariantCulture);
        await client.SendAsync("RETR mine.txt");

        // Through the balancer, another client's data connection is refused; the session's own gets the file.
        using var other = await DataThroughBalancerAsync(port, "127.0.0.9");
        Assert.Equal(0, await other.ReceiveAsync(new byte[64], SocketFlags.None).WaitAsync(FtpTestClient.Timeout));
        using var own = await DataThroughBalancerAsync(port, "127.0.0.3");
        Assert.Equal(150, (await client.ReadAsync()).Code);
        using var received = new MemoryStream();
        await using (var stream = new NetworkStream(own))
        {
            await stream.CopyToAsync(received).WaitAsync(FtpTestClient.Timeout);
        }

        Assert.Equal(226, (await client.ReadAsync()).Code);
        Assert.Equal("for 127.0.0.3 only\n"u8.ToArray(), received.ToArray());
    }

    [Fact]
    public async Task A_connection_from_an_untrusted_address_is_closed_without_a_greeting()
    {
        var options = new FtpServerOptions { Port = 0, FileSystem = new InMemoryFtpFileSystem(), AllowAnonymous = true, ProxyProtocol = true, TrustedProxies = { "127.0.0.1" } };
        await using var server = new FtpServer(options);
        await server.StartAsync(CancellationToken.None);

        await using var stranger = await FtpTestClient.ConnectAsync(server.LocalEndPoint, IPAddress.Parse("127.0.0.2"));
        await stranger.SendRawAsync("PROXY TCP4 192.0.2.9 127.0.0.1 5000 21\r\n"u8.ToArray());
        Assert.True(await stranger.ClosedAsync());
    }

    [Fact]
    public void The_proxy_protocol_needs_trusted_proxies()
    {
        var e = Assert.Throws<ArgumentException>(() => new FtpServer(new FtpServerOptions { Port = 0, FileSystem = new InMemoryFtpFileSystem(), AllowAnonymous = true, ProxyProtocol = true }));
        Assert.Contains("TrustedProxies", e.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>A data connection as the balancer makes it: from 127.0.0.1, a PROXY header first naming <paramref name="client"/>.</summary>
    private static async Task<Socket> DataThroughBalancerAsync(int port, string client)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var cts = new CancellationTokenSource(FtpTestClient.Timeout);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cts.Token);
        await socket.SendAsync(Encoding.ASCII.GetBytes($"PROXY TCP4 {client} 127.0.0.1 40001 {port}\r\n"), cts.Token);
        return socket;
    }

    private sealed class Logins : FtpServerEvents
    {
        private readonly ConcurrentQueue<IPAddress> _addresses = new();

        public IReadOnlyList<IPAddress> Addresses => [.. _addresses];

        public override ValueTask OnLoginSucceededAsync(FtpLoginSucceededEvent e, CancellationToken cancellationToken)
        {
            _addresses.Enqueue(e.RemoteEndPoint.Address);
            return ValueTask.CompletedTask;
        }
    }
}
