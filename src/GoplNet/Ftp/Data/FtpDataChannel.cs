using System.Net;
using System.Net.Sockets;
using GoplNet.Hosting;

namespace GoplNet.Ftp.Data;

/// <summary>
/// Where the next data connection comes from: a passive listener the client connects to, or an
/// active connection to the endpoint the client named. Both accept only the control connection's
/// own address. Single use: the transfer that opens it disposes it.
/// </summary>
internal sealed class FtpDataChannel : IDisposable
{
    private readonly Socket? _listener;
    private readonly IPEndPoint? _activeEndPoint;
    private readonly IPAddress _peer;
    private TrustedProxies? _proxies;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _timeProvider;

    private FtpDataChannel(Socket? listener, IPEndPoint? activeEndPoint, IPAddress peer, TimeSpan timeout, TimeProvider timeProvider)
    {
        _listener = listener;
        _activeEndPoint = activeEndPoint;
        _peer = peer;
        _timeout = timeout;
        _timeProvider = timeProvider;
    }

    public int PassivePort => ((IPEndPoint)_listener!.LocalEndPoint!).Port;

    /// <summary>Listens on <paramref name="local"/> at a port from the range (any free port when it is 0-0).</summary>
    public static FtpDataChannel Passive(IPAddress local, IPAddress peer, int min, int max, TimeSpan timeout, TimeProvider timeProvider, TrustedProxies? proxies)
    {
        if (min == 0 && max == 0)
        {
            return new FtpDataChannel(Bind(local, 0), null, peer, timeout, timeProvider) { _proxies = proxies };
        }

        // Start at a random port of the range so concurrent sessions do not collide on the first ones.
        var count = max - min + 1;
        var first = Random.Shared.Next(count);
        for (var i = 0; i < count; i++)
        {
            try
            {
                return new FtpDataChannel(Bind(local, min + ((first + i) % count)), null, peer, timeout, timeProvider) { _proxies = proxies };
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                // Try the next port.
            }
        }

        throw new SocketException((int)SocketError.AddressAlreadyInUse);
    }

    public static FtpDataChannel Active(IPEndPoint endPoint, IPAddress peer, TimeSpan timeout, TimeProvider timeProvider) =>
        new(null, endPoint, peer, timeout, timeProvider);

    /// <summary>The data connection; connections from other addresses are refused and the wait goes on.</summary>
    public async Task<Socket> OpenAsync(CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        if (_activeEndPoint is not null)
        {
            var socket = new Socket(_activeEndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(_activeEndPoint, linked.Token).ConfigureAwait(false);
                return socket;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        while (true)
        {
            var accepted = await _listener!.AcceptAsync(linked.Token).ConfigureAwait(false);
            if (accepted.RemoteEndPoint is IPEndPoint remote && (Same(remote.Address, _peer) || await FromClientThroughProxyAsync(accepted, remote, linked.Token).ConfigureAwait(false)))
            {
                return accepted;
            }

            accepted.Dispose();
        }
    }

    public void Dispose() => _listener?.Dispose();

    /// <summary>
    /// Whether a connection from a trusted balancer carries this session's client: the balancer
    /// sends a PROXY header on data connections too, so one client cannot take another's transfer.
    /// </summary>
    private async Task<bool> FromClientThroughProxyAsync(Socket accepted, IPEndPoint remote, CancellationToken cancellationToken)
    {
        if (_proxies is null || !_proxies.Contains(remote.Address))
        {
            return false;
        }

        try
        {
            var header = await ProxyProtocol.ReadAsync(accepted, _proxies, _timeout, _timeProvider, cancellationToken).ConfigureAwait(false);
            return header.IsProxied && Same(header.Source.Address, _peer);
        }
        catch (Exception e) when (e is ProxyProtocolException or SocketException or IOException)
        {
            return false;
        }
    }

    internal static bool Same(IPAddress a, IPAddress b) =>
        Unmapped(a).Equals(Unmapped(b));

    /// <summary>An address as IPv4 when it is an IPv4-mapped IPv6 address (a dual-stack socket's view of an IPv4 client).</summary>
    internal static IPAddress Unmapped(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static Socket Bind(IPAddress local, int port) => ListenAddress.Listen(new IPEndPoint(local, port), backlog: 1);
}
