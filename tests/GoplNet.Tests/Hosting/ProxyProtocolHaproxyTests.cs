using System.Net;
using System.Net.Sockets;
using GoplNet.Hosting;

namespace GoplNet.Tests.Hosting;

/// <summary>
/// The reader behind a real HAProxy: a client bound to 127.0.0.3 connects through it, and the header
/// must name that client; HAProxy's own health checks must come as connections without a client.
/// </summary>
public sealed class ProxyProtocolHaproxyTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly TrustedProxies Loopback = TrustedProxies.Parse(["127.0.0.1"]);
    private readonly string _directory = Directory.CreateTempSubdirectory("goplnet-haproxy-").FullName;
    private readonly Socket _backend = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public ProxyProtocolHaproxyTests()
    {
        _backend.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _backend.Listen();
    }

    public void Dispose()
    {
        _backend.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Theory]
    [InlineData("send-proxy", 1)]
    [InlineData("send-proxy-v2", 2)]
    public async Task HAProxy_forwards_the_real_client_and_the_stream_after_the_header(string sendProxy, int version)
    {
        var frontend = new IPEndPoint(IPAddress.Loopback, HaproxyProcess.FreePort());
        using var haproxy = await HaproxyProcess.StartAsync(_directory, frontend.Port, _backend.LocalEndPoint!, sendProxy);

        using var client = await haproxy.ConnectAsync(IPAddress.Parse("127.0.0.3"), frontend);
        await client.SendAsync("USER x\r\n"u8.ToArray());
        using var cts = new CancellationTokenSource(Timeout);
        using var server = await _backend.AcceptAsync(cts.Token);

        var header = await ProxyProtocol.ReadAsync(server, Loopback, Timeout, TimeProvider.System, cts.Token);

        Assert.Equal(new ProxyHeader(version, true, (IPEndPoint)client.LocalEndPoint!, frontend), header);
        Assert.Equal(IPAddress.Parse("127.0.0.3"), header.Source.Address);
        Assert.Equal("USER x\r\n"u8.ToArray(), await ProxyProtocolTests.ReceiveAsync(server, 8));

        // And back through the proxy: once the header is read, the connection is an ordinary one.
        await server.SendAsync("220 ready\r\n"u8.ToArray());
        Assert.Equal("220 ready\r\n"u8.ToArray(), await ProxyProtocolTests.ReceiveAsync(client, 11));
    }

    [Theory]
    [InlineData("send-proxy", 1, true)]
    [InlineData("send-proxy-v2", 2, false)]
    public async Task HAProxy_health_checks_keep_the_connections_own_addresses(string sendProxy, int version, bool isProxied)
    {
        using var haproxy = await HaproxyProcess.StartAsync(_directory, HaproxyProcess.FreePort(), _backend.LocalEndPoint!, sendProxy + " check inter 100ms");

        // With no client, the first connection is a health check. HAProxy describes it in v1 as TCP4 with
        // the check connection's own addresses, in v2 as LOCAL: the same endpoints either way.
        using var cts = new CancellationTokenSource(Timeout);
        using var check = await _backend.AcceptAsync(cts.Token);

        var header = await ProxyProtocol.ReadAsync(check, Loopback, Timeout, TimeProvider.System, cts.Token);

        Assert.Equal(new ProxyHeader(version, isProxied, (IPEndPoint)check.RemoteEndPoint!, (IPEndPoint)check.LocalEndPoint!), header);
    }
}
