namespace GoplNet.Net;

/// <summary>What happened to a watched connection (see <see cref="LineClient.WatchAsync"/>).</summary>
public enum LineClientEventKind
{
    /// <summary>A connection attempt started.</summary>
    Connecting,

    /// <summary>The connection is up.</summary>
    Connected,

    /// <summary>A line arrived (<see cref="LineClientEvent.Line"/>).</summary>
    Line,

    /// <summary>The connection failed or ended (<see cref="LineClientEvent.Reason"/>).</summary>
    Disconnected,

    /// <summary>The next attempt comes after <see cref="LineClientEvent.RetryDelay"/>.</summary>
    Retrying,
}

/// <summary>One event of a watched connection.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Timestamp">When, from the client's <see cref="TimeProvider"/>.</param>
/// <param name="Line">The line, for <see cref="LineClientEventKind.Line"/>.</param>
/// <param name="Reason">Why the connection ended, for <see cref="LineClientEventKind.Disconnected"/>.</param>
/// <param name="RetryDelay">The wait before the next attempt, for <see cref="LineClientEventKind.Retrying"/>.</param>
public sealed record LineClientEvent(
    LineClientEventKind Kind, DateTimeOffset Timestamp, string? Line = null, string? Reason = null, TimeSpan RetryDelay = default);
