namespace GoplNet.Net;

/// <summary>Why a <see cref="LineClient"/> could not connect, or lost its connection (<see cref="LineClientException.Reason"/>).</summary>
public enum LineClientFailure
{
    /// <summary>Something else went wrong; <see cref="Exception.InnerException"/> says what.</summary>
    Other,

    /// <summary>Nothing listens on the port: the server's host refused the connection.</summary>
    Refused,

    /// <summary>No route to the host, or its network is unreachable.</summary>
    Unreachable,

    /// <summary>The host name does not resolve to any address.</summary>
    HostNotFound,

    /// <summary>No connection within <see cref="LineClientOptions.ConnectTimeout"/>.</summary>
    TimedOut,

    /// <summary>The server reset the connection (it crashed, or closed without reading what was sent).</summary>
    Reset,

    /// <summary>The server closed the connection (only in <see cref="LineClient.WatchAsync"/>, where the connection is expected to last).</summary>
    Closed,

    /// <summary>The server sent a line longer than <see cref="LineClientOptions.MaxLineLength"/>, so the client hung up.</summary>
    LineTooLong,
}
