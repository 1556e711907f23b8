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
        switch (e.Kind)
        {
            case LineClientEventKind.Connecting:
                _connection = Value is null ? WallClockState.Connecting : _connection;
                RetryAt = null;
                break;
            case LineClientEventKind.Connected:
                _connection = WallClockState.Up;
                Reason = null;
                break;
            case LineClientEventKind.Line:
                _connection = WallClockState.Up;
                Value = e.Line!.Trim();
                LastLineAt = e.Timestamp;
                break;
            case LineClientEventKind.Disconnected:
                _connection = WallClockState.Down;
                Reason = e.Reason;
                break;
            case LineClientEventKind.Retrying:
                _connection = WallClockState.Down;
                RetryAt = e.Timestamp + e.RetryDelay;
                break;
        }
    }

    /// <summary>The state at <paramref name="now"/>: a clock whose last line is older than <paramref name="staleAfter"/> is stale.</summary>
    public WallClockState StateAt(DateTimeOffset now, TimeSpan staleAfter) =>
        _connection == WallClockState.Up && LastLineAt is { } last && now - last > staleAfter ? WallClockState.Stale : _connection;
}
