using System.Net;
using System.Net.Sockets;

namespace GoplNet.Clock;

/// <summary>What became of one line offered to a client.</summary>
internal enum ClockSendResult
{
    /// <summary>The kernel took the whole line.</summary>
    Sent,

    /// <summary>Part or all of the line waits for the client to read (the flush runs asynchronously).</summary>
    Queued,

    /// <summary>The client is past its unsent-bytes bound: drop it.</summary>
    Overflow,

    /// <summary>The connection is gone (reset, closed): drop it.</summary>
    Failed,
}

/// <summary>
/// One connected clock client. Lines go out with a non-blocking send straight from the shared
/// per-tick buffer; only a client whose socket buffer is full gets a queue of pending lines
/// (which reference those same shared buffers) and an asynchronous flush. A client that keeps up
/// therefore costs a socket and this small object, and never an outstanding I/O operation.
/// </summary>
internal sealed class ClockClient
{
    private readonly Lock _gate = new();
    private readonly Socket _socket;
    private readonly int _maxUnsentBytes;
    private readonly Action<ClockClient, string> _onFailed;
    private Queue<ReadOnlyMemory<byte>>? _pending;
    private int _unsentBytes;
    private int _headSent;
    private bool _flushing;
    private bool _closed;

    public ClockClient(long id, Socket socket, int maxUnsentBytes, Action<ClockClient, string> onFailed)
    {
        Id = id;
        _socket = socket;
        _maxUnsentBytes = maxUnsentBytes;
        _onFailed = onFailed;
        socket.Blocking = false;
        socket.NoDelay = true;
        try
        {
            // Read once, while the connection is surely open: the logs name it after it has gone.
            RemoteEndPoint = socket.RemoteEndPoint;
        }
        catch (SocketException)
        {
            RemoteEndPoint = null;
        }
    }

    /// <summary>The client's number in this server's log scopes (1 for the first client).</summary>
    public long Id { get; }

    /// <summary>The client's address and port; <see langword="null"/> if it was gone before it was admitted.</summary>
    public EndPoint? RemoteEndPoint { get; }

    /// <summary>The interval index of the last line offered, so a late tick never repeats a line.</summary>
    public long LastIndex { get; set; } = long.MinValue;

    /// <summary>This client's slot in the server's registry (swap-remove keeps removal O(1)).</summary>
    public int Slot { get; set; } = -1;

    /// <summary>Completed when the client is closed (sequential mode waits on it before accepting the next).</summary>
    public TaskCompletionSource? Gone { get; init; }

    /// <summary>Offers <paramref name="line"/> (immutable, possibly shared with other clients) to the client.</summary>
    public ClockSendResult Send(ReadOnlyMemory<byte> line)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return ClockSendResult.Failed;
            }

            if (_flushing)
            {
                return Enqueue(line);
            }

            var sent = _socket.Send(line.Span, SocketFlags.None, out var error);
            if (error == SocketError.Success && sent == line.Length)
            {
                return ClockSendResult.Sent;
            }

            if (error is not (SocketError.Success or SocketError.WouldBlock))
            {
                return ClockSendResult.Failed;
            }

            var result = Enqueue(line[Math.Max(sent, 0)..]);
            if (result == ClockSendResult.Queued)
            {
                _flushing = true;
                _ = FlushAsync();
            }

            return result;
        }
    }

    /// <summary>Closes the connection; idempotent.</summary>
    public void Close()
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            _pending = null;
        }

        // Abortive close is not needed: a graceful close lets the client read what it was sent.
        _socket.Dispose();
        Gone?.TrySetResult();
    }

    private ClockSendResult Enqueue(ReadOnlyMemory<byte> remainder)
    {
        _unsentBytes += remainder.Length;
        if (_unsentBytes > _maxUnsentBytes)
        {
            return ClockSendResult.Overflow;
        }

        (_pending ??= new Queue<ReadOnlyMemory<byte>>()).Enqueue(remainder);
        return ClockSendResult.Queued;
    }

    private async Task FlushAsync()
    {
        try
        {
            while (true)
            {
                ReadOnlyMemory<byte> head;
                lock (_gate)
                {
                    if (_closed)
                    {
                        return;
                    }

                    if (_pending is null || _pending.Count == 0)
                    {
                        _flushing = false;
                        return;
                    }

                    head = _pending.Peek();
                }

                var sent = await _socket.SendAsync(head[_headSent..], SocketFlags.None).ConfigureAwait(false);
                lock (_gate)
                {
                    if (_closed || _pending is null)
                    {
                        return;
                    }

                    // A partial send (rare: the runtime finishes whole sends) leaves the head queued, further along.
                    _unsentBytes -= sent;
                    _headSent += sent;
                    if (_headSent == head.Length)
                    {
                        _pending.Dequeue();
                        _headSent = 0;
                    }
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            _onFailed(this, e is SocketException se ? se.SocketErrorCode.ToString() : "closed");
        }
    }
}
