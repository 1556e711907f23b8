using System.Net;

namespace GoplNet.Net;

/// <summary>
/// One event of a watched connection (see <see cref="LineClient.WatchAsync"/>); each kind is its
/// own type and carries only what it means. A watch reports, in order: <see cref="Connecting"/>, then
/// <see cref="Connected"/> and any number of <see cref="LineReceived"/> until <see cref="Disconnected"/>,
/// or <see cref="ConnectFailed"/>; then <see cref="Reconnecting"/> and the next <see cref="Connecting"/>.
/// </summary>
/// <param name="Timestamp">When it happened, from the client's <see cref="TimeProvider"/>.</param>
public abstract record LineClientEvent(DateTimeOffset Timestamp)
{
    /// <summary>A connection attempt started.</summary>
    /// <param name="Timestamp">When, from the client's <see cref="TimeProvider"/>.</param>
    public sealed record Connecting(DateTimeOffset Timestamp) : LineClientEvent(Timestamp);

    /// <summary>The connection is up.</summary>
    /// <param name="Timestamp">When, from the client's <see cref="TimeProvider"/>.</param>
    /// <param name="RemoteEndPoint">The address the client reached (one of those the host name resolved to).</param>
    public sealed record Connected(DateTimeOffset Timestamp, EndPoint RemoteEndPoint) : LineClientEvent(Timestamp);

    /// <summary>A line arrived.</summary>
    /// <param name="Timestamp">When, from the client's <see cref="TimeProvider"/>.</param>
    /// <param name="Line">The line, without its line end.</param>
    public sealed record LineReceived(DateTimeOffset Timestamp, string Line) : LineClientEvent(Timestamp);

    /// <summary>The attempt did not connect.</summary>
    /// <param name="Timestamp">When, from the client's <see cref="TimeProvider"/>.</param>
    /// <param name="Error">Why: refused, timed out, no such host...</param>
    public sealed record ConnectFailed(DateTimeOffset Timestamp, LineClientException Error) : LineClientEvent(Timestamp);

    /// <summary>An established connection ended.</summary>
    /// <param name="Timestamp">When, from the client's <see cref="TimeProvider"/>.</param>
    /// <param name="Error">Why: <see cref="LineClientFailure.Closed"/> when the server closed it, a reset, a line too long...</param>
    public sealed record Disconnected(DateTimeOffset Timestamp, LineClientException Error) : LineClientEvent(Timestamp);

    /// <summary>The next attempt comes after a wait.</summary>
    /// <param name="Timestamp">When the wait started, from the client's <see cref="TimeProvider"/>.</param>
    /// <param name="Attempt">The number of the attempt to come since a connection last delivered a line (the first retry is 1).</param>
    /// <param name="Delay">The wait, jitter included.</param>
    public sealed record Reconnecting(DateTimeOffset Timestamp, int Attempt, TimeSpan Delay) : LineClientEvent(Timestamp);
}
