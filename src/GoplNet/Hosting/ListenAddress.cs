using System.Net;
using System.Net.Sockets;

namespace GoplNet.Hosting;

/// <summary>
/// Turns a server's host option into the address it binds, the way Go's <c>net.Listen</c> reads
/// the host part of <c>"localhost:8000"</c>.
/// </summary>
internal static class ListenAddress
{
    /// <summary>
    /// <c>localhost</c> binds 127.0.0.1 (as Go does); an empty host or <c>*</c> binds every
    /// interface, IPv6 and IPv4; a literal address binds itself; another name binds its first address.
    /// </summary>
    public static async Task<IPAddress> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (host.Length == 0 || host == "*")
        {
            return Socket.OSSupportsIPv6 ? IPAddress.IPv6Any : IPAddress.Any;
        }

        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.Loopback;
        }

        var literal = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        if (IPAddress.TryParse(literal, out var address))
        {
            return address;
        }

        var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? addresses.FirstOrDefault()
            ?? throw new SocketException((int)SocketError.HostNotFound);
    }

    /// <summary>Creates a listening TCP socket on <paramref name="endPoint"/> (dual-stack for the IPv6 wildcard).</summary>
    public static Socket Listen(IPEndPoint endPoint, int backlog)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.Bind(endPoint);
            socket.Listen(backlog);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
