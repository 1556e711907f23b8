using System.Net.Sockets;

namespace GoplNet.Net;

/// <summary>
/// A <see cref="LineClient"/> could not connect to its server, or the connection failed: the one
/// exception to catch for network trouble (cancellation stays an <see cref="OperationCanceledException"/>,
/// and failures of the streams the client copies to or from are theirs). The
/// <see cref="Exception.Message"/> is a short lower-case phrase, as Go's errors are
/// ("connection refused", "timed out", "no such host"), fit to follow <c>cannot connect to host:port: </c>.
/// </summary>
public sealed class LineClientException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reason">What went wrong.</param>
    /// <param name="address">The server the client talks to.</param>
    /// <param name="message">A short lower-case phrase; the usual wording of <paramref name="reason"/> when <see langword="null"/>.</param>
    /// <param name="innerException">The socket's exception, if any.</param>
    /// <exception cref="ArgumentNullException"><paramref name="address"/> is <see langword="null"/>.</exception>
    public LineClientException(LineClientFailure reason, HostPort address, string? message = null, Exception? innerException = null)
        : base(message ?? Describe(reason, innerException), innerException)
    {
        ArgumentNullException.ThrowIfNull(address);
        Reason = reason;
        Address = address;
    }

    /// <summary>What went wrong.</summary>
    public LineClientFailure Reason { get; }

    /// <summary>The server the client talks to.</summary>
    public HostPort Address { get; }

    /// <summary>The socket's error code when a socket reported the failure; <see langword="null"/> otherwise.</summary>
    public SocketError? SocketError => InnerException is SocketException socket ? socket.SocketErrorCode : null;

    /// <summary>Wraps a socket's failure for <paramref name="address"/>.</summary>
    internal static LineClientException FromSocket(SocketException e, HostPort address) => new(
        e.SocketErrorCode switch
        {
            System.Net.Sockets.SocketError.ConnectionRefused => LineClientFailure.Refused,
            System.Net.Sockets.SocketError.ConnectionReset or System.Net.Sockets.SocketError.ConnectionAborted => LineClientFailure.Reset,
            System.Net.Sockets.SocketError.HostNotFound or System.Net.Sockets.SocketError.NoData or System.Net.Sockets.SocketError.TryAgain => LineClientFailure.HostNotFound,
            System.Net.Sockets.SocketError.HostUnreachable or System.Net.Sockets.SocketError.NetworkUnreachable or System.Net.Sockets.SocketError.HostDown
                or System.Net.Sockets.SocketError.NetworkDown => LineClientFailure.Unreachable,
            System.Net.Sockets.SocketError.TimedOut => LineClientFailure.TimedOut,
            _ => LineClientFailure.Other,
        },
        address,
        innerException: e);

    private static string Describe(LineClientFailure reason, Exception? inner) => reason switch
    {
        LineClientFailure.Refused => "connection refused",
        LineClientFailure.Reset => "connection reset by peer",
        LineClientFailure.HostNotFound => "no such host",
        LineClientFailure.Unreachable when inner is SocketException { SocketErrorCode: System.Net.Sockets.SocketError.NetworkUnreachable or System.Net.Sockets.SocketError.NetworkDown }
            => "network is unreachable",
        LineClientFailure.Unreachable => "no route to host",
        LineClientFailure.TimedOut => "timed out",
        LineClientFailure.Closed => "closed by the server",
        LineClientFailure.LineTooLong => "a line too long",
        _ => inner?.Message ?? "connection failed",
    };
}
