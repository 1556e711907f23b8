using Microsoft.Extensions.Logging;

namespace GoplNet.Clock;

public sealed partial class ClockServer
{
    // Serialises ticks (a broadcast that outlasts an interval holds up the next tick, not the clients).
    private readonly Lock _tickGate = new();
    private readonly List<(ClockClient Client, ClockSendResult Result)> _dropped = [];
    private readonly byte[] _tickScratch;
    private ClockClient[] _snapshot = [];
    private CurrentLine? _currentLine;
    private long _lastBroadcastIndex = long.MinValue;
    private ITimer? _timer;

    /// <summary>Raised inside each broadcast, after the registry snapshot and before the sends (tests hold a broadcast open with it).</summary>
    internal Action? Broadcasting { get; set; }

    /// <summary>The interval index of <paramref name="instant"/>: whole intervals since the Unix epoch, rounded down.</summary>
    private long IndexOf(DateTimeOffset instant)
    {
        var ticks = instant.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var interval = _options.Interval.Ticks;
        var index = ticks / interval;
        return ticks % interval < 0 ? index - 1 : index;
    }

    private DateTimeOffset BoundaryOf(long index) =>
        new(DateTimeOffset.UnixEpoch.UtcTicks + (index * _options.Interval.Ticks), TimeSpan.Zero);

    /// <summary>Sets the one-shot timer for the next boundary after <paramref name="now"/>. Called under the tick gate.</summary>
    private void Arm(DateTimeOffset now) => _timer?.Change(BoundaryOf(IndexOf(now) + 1) - now, Timeout.InfiniteTimeSpan);

    private void OnTick()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        try
        {
            Tick();
        }
        catch (Exception e)
        {
            // A timer callback that throws would end the process; a failed tick must not.
            ClockServerLog.TickFailed(_logger, e);
        }
    }

    private void Tick()
    {
        lock (_tickGate)
        {
            // Re-armed from the wall clock on every tick: no drift, and a clock that jumps (either
            // way) is followed at once. Armed before the broadcast, so a FakeTimeProvider test that
            // advances as soon as it sees a line never races the timer.
            var now = _timeProvider.GetUtcNow();
            Arm(now);
            var index = IndexOf(now);
            if (index == _lastBroadcastIndex)
            {
                return;
            }

            if (_lastBroadcastIndex != long.MinValue && index != _lastBroadcastIndex + 1)
            {
                ClockServerMetrics.TickLate();
                LogLateTick(BoundaryOf(_lastBroadcastIndex + 1), now);
            }

            _lastBroadcastIndex = index;
            var line = FormatLine(index, _tickScratch);
            Volatile.Write(ref _currentLine, new CurrentLine(index, line));
            var count = Snapshot();
            ClockServerMetrics.Tick(count, line.Length);
            if (count > 0)
            {
                Broadcasting?.Invoke();
                Broadcast(count, index, line);
                Array.Clear(_snapshot, 0, count);
            }
        }
    }

    /// <summary>Copies the registry into <see cref="_snapshot"/> (a memory copy, the only work done under the registry's gate); returns the count.</summary>
    private int Snapshot()
    {
        lock (_gate)
        {
            var count = _clientCount;
            if (_snapshot.Length < count)
            {
                _snapshot = new ClockClient[_clients.Length];
            }

            Array.Copy(_clients, _snapshot, count);
            return count;
        }
    }

    private void LogLateTick(DateTimeOffset due, DateTimeOffset now)
    {
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            ClockServerLog.TickLate(_logger, due, (long)(now - due).TotalMilliseconds);
        }
    }

    /// <summary>Formats the line naming interval <paramref name="index"/>, once, into bytes every client shares.</summary>
    private byte[] FormatLine(long index, byte[] scratch)
    {
        if (!_layout.TryFormat(BoundaryOf(index), _zone, scratch, out var length))
        {
            throw new InvalidOperationException("The clock line did not fit its buffer.");
        }

        return scratch.AsSpan(0, length).ToArray();
    }

    /// <summary>Sends one line to the first <paramref name="count"/> clients of the snapshot. Called under the tick gate, not the registry's.</summary>
    private void Broadcast(int count, long index, byte[] line)
    {
        if (count <= InlineBroadcastLimit)
        {
            SendRange(0, count, index, line);
        }
        else
        {
            // Sends on loopback also run the receiving side's network stack, so spread them over
            // the cores: the last client of the list then gets its line sooner. Plain tasks, not
            // Parallel.For: that lives in an assembly loaded on first use, which fails when the
            // process is out of file descriptors, exactly when the clients need serving most.
            var partitions = Environment.ProcessorCount;
            var size = (count + partitions - 1) / partitions;
            var others = new Task[partitions - 1];
            for (var partition = 1; partition < partitions; partition++)
            {
                var from = Math.Min(count, partition * size);
                var to = Math.Min(count, from + size);
                others[partition - 1] = Task.Run(() => SendRange(from, to, index, line));
            }

            SendRange(0, Math.Min(count, size), index, line);
            Task.WaitAll(others);
        }

        if (_dropped.Count == 0)
        {
            return;
        }

        foreach (var (client, result) in _dropped)
        {
            bool removed;
            lock (_gate)
            {
                removed = Remove(client);
            }

            if (removed)
            {
                Closed(client, result == ClockSendResult.Overflow ? null : "write failed");
            }
        }

        _dropped.Clear();
    }

    private void SendRange(int from, int to, long index, byte[] line)
    {
        var clients = _snapshot;
        for (var i = from; i < to; i++)
        {
            var client = clients[i];
            if (client.LastIndex == index)
            {
                continue;
            }

            client.LastIndex = index;
            var result = client.Send(line);
            if (result is ClockSendResult.Failed or ClockSendResult.Overflow)
            {
                lock (_dropped)
                {
                    _dropped.Add((client, result));
                }
            }
        }
    }

    /// <summary>The last broadcast's line, which a client admitted in the same interval is greeted with.</summary>
    private sealed record CurrentLine(long Index, byte[] Bytes);
}
