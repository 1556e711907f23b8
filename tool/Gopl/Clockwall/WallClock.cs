using GoplNet.Net;

namespace Gopl.Clockwall;

/// <summary>What the wall shows for a clock.</summary>
internal enum WallClockState
{
    Connecting,
    Up,
    Down,
    Stale,
}

/// <summary>One clock on the wall: its latest line and the state of its connection.</summary>
internal sealed class WallClock(string name, HostPort address)
{
    private WallClockState _connection = WallClockState.Connecting;

    public string Name { get; } = name;

    public HostPort Address { get; } = address;

    /// <summary>The latest line, trimmed; <see langword="null"/> before the first.</summary>
    public string? Value { get; private set; }

    public DateTimeOffset? LastLineAt { get; private set; }

    /// <summary>When the next connection attempt is due, while the clock is down.</summary>
    public DateTimeOffset? RetryAt { get; private set; }

    public string? Reason { get; private set; }

    public void Apply(LineClientEvent e)
    {
        switch (e)
        {
            case LineClientEvent.Connecting:
                _connection = Value is null ? WallClockState.Connecting : _connection;
                RetryAt = null;
                break;
            case LineClientEvent.Connected:
                _connection = WallClockState.Up;
                Reason = null;
                break;
            case LineClientEvent.LineReceived received:
                _connection = WallClockState.Up;
                Value = received.Line.Trim();
                LastLineAt = received.Timestamp;
                break;
            case LineClientEvent.ConnectFailed failed:
                _connection = WallClockState.Down;
                Reason = failed.Error.Message;
                break;
            case LineClientEvent.Disconnected disconnected:
                _connection = WallClockState.Down;
                Reason = disconnected.Error.Message;
                break;
            case LineClientEvent.Reconnecting reconnecting:
                _connection = WallClockState.Down;
                RetryAt = reconnecting.Timestamp + reconnecting.Delay;
                break;
        }
    }

    /// <summary>The state at <paramref name="now"/>: a clock whose last line is older than <paramref name="staleAfter"/> is stale.</summary>
    public WallClockState StateAt(DateTimeOffset now, TimeSpan staleAfter) =>
        _connection == WallClockState.Up && LastLineAt is { } last && now - last > staleAfter ? WallClockState.Stale : _connection;
}
