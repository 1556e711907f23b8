using Microsoft.Extensions.Logging;

namespace GoplNet.Clock;

public sealed partial class ClockServer
{
    private readonly List<(ClockClient Client, ClockSendResult Result)> _dropped = [];

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

    /// <summary>Sets the one-shot timer for the next boundary after <paramref name="now"/>. Called under the gate.</summary>
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
        lock (_gate)
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
                LogLateTick(BoundaryOf(_lastBroadcastIndex + 1), now);
            }

            _lastBroadcastIndex = index;
            if (_clientCount > 0)
            {
                Broadcast(index, FormatLine(index));
            }
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
    private byte[] FormatLine(long index)
    {
        if (!_layout.TryFormat(BoundaryOf(index), _zone, _scratch, out var length))
        {
            throw new InvalidOperationException("The clock line did not fit its buffer.");
        }

        return _scratch.AsSpan(0, length).ToArray();
    }

    /// <summary>Sends one line to every client. Called under the gate.</summary>
    private void Broadcast(long index, byte[] line)
    {
        var count = _clientCount;
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
                var from = partition * size;
                var to = Math.Min(count, from + size);
                others[partition - 1] = Task.Run(() => SendRange(from, to, index, line));
            }

            SendRange(0, Math.Min(count, size), index, line);
            Task.WaitAll(others);
        }

        foreach (var (client, result) in _dropped)
        {
            Drop(client, result == ClockSendResult.Overflow ? null : "write failed");
        }

        _dropped.Clear();
    }

    private void SendRange(int from, int to, long index, byte[] line)
    {
        var clients = _clients;
        for (var i = from; i < to; i++)
        {
            var client = clients[i]!;
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
}
