using System.Net;
using System.Net.Sockets;

namespace GoplNet.Tests.Net;

/// <summary>Listening sockets on 127.0.0.1 for the line client's tests.</summary>
internal static class Loopback
{
    /// <summary>A listener on a free port.</summary>
    public static Socket Listen(out int port, int backlog = 512)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(backlog);
        port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        return listener;
    }
}
