using System.Net;
using System.Net.Sockets;

namespace GoplNet.Hosting;

/// <summary>
/// A server's listening socket and the loop that accepts its connections, shared by the servers:
/// bind and listen with a backlog, accept on a thread of its own, hand each connection to the
/// server, ride out transient accept failures (out of descriptors or buffers) with a backoff and a
/// <see cref="DescriptorReserve"/>, and end cleanly on stop.
/// </summary>
/// <remarks>
/// The loop blocks in <c>accept(2)</c> on a dedicated thread rather than awaiting on the thread
/// pool: a server whose pool threads are busy (the clock's broadcast to thousands of clients keeps
/// every core's pool thread sending) would otherwise leave a connection waiting for a pool thread.
/// The kernel wakes this thread as soon as a connection arrives, as Go's runtime wakes the
/// accepting goroutine. The handler runs on the same thread: it must be quick (admit or refuse,
/// greet, start the session) and return; the <see cref="ValueTask"/> it returns holds up the next
/// accept until it completes, which is how a server serves one connection at a time.
/// </remarks>
internal sealed class AcceptLoop : IAsyncDisposable
{
    private readonly AcceptLoopOptions _options;
    private readonly Func<Socket, CancellationToken, ValueTask> _onAccepted;
    private readonly TimeProvider _timeProvider;
    private readonly DescriptorReserve _descriptorReserve;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Socket? _listener;
    private IPEndPoint? _localEndPoint;
    private int _state;

    /// <summary>Creates a loop that is not listening yet.</summary>
    /// <param name="options">Backlog, retry delays, the reserve's size and the failure callback.</param>
    /// <param name="onAccepted">
    /// Takes each accepted connection, which it then owns (it disposes a connection it refuses). It
    /// runs on the accept thread; the next accept waits for the task it returns.
    /// </param>
    /// <param name="timeProvider">The clock of the retry delays.</param>
    public AcceptLoop(AcceptLoopOptions options, Func<Socket, CancellationToken, ValueTask> onAccepted, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(onAccepted);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Backlog, 1);
        _options = options;
        _onAccepted = onAccepted;
        _timeProvider = timeProvider;
        _descriptorReserve = new DescriptorReserve(options.DescriptorReserveSize);
    }

    /// <summary>Where the loop is in its life.</summary>
    public AcceptLoopState State => (AcceptLoopState)Volatile.Read(ref _state);

    /// <summary>The bound address and port (the real port when 0 was asked for).</summary>
    /// <exception cref="InvalidOperationException">The loop has not been started.</exception>
    public IPEndPoint LocalEndPoint => _localEndPoint ?? throw new InvalidOperationException("The listener has not been started.");

    /// <summary>Ends when the accept thread has ended (after a stop, or at once if the loop never ran).</summary>
    public Task Completion => _ended.Task;

    /// <summary>Binds <paramref name="endPoint"/>, listens and starts accepting.</summary>
    /// <exception cref="SocketException">The address cannot be bound, for example a port in use; the loop is then stopped.</exception>
    /// <exception cref="InvalidOperationException">The loop was started before.</exception>
    public void Start(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        if (Interlocked.CompareExchange(ref _state, (int)AcceptLoopState.Running, (int)AcceptLoopState.Created) != (int)AcceptLoopState.Created)
        {
            throw new InvalidOperationException("A listener can be started once.");
        }

        try
        {
            _listener = ListenAddress.Listen(endPoint, _options.Backlog);
            _localEndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        }
        catch
        {
            // Nothing to stop: a loop that could not bind goes straight to stopped.
            Volatile.Write(ref _state, (int)AcceptLoopState.Stopped);
            _ended.TrySetResult();
            throw;
        }

        var thread = new Thread(static state => ((AcceptLoop)state!).Run())
        {
            IsBackground = true,
            Name = _options.ThreadName,
        };
        thread.Start(this);
    }

    /// <summary>Stops accepting: closes the listening socket (queued connections are reset) and waits for the accept thread to end.</summary>
    /// <param name="cancellationToken">Stops the wait (the listener is closed regardless).</param>
    /// <returns>A task that completes when the accept thread has ended.</returns>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var previous = (AcceptLoopState)Interlocked.Exchange(ref _state, (int)AcceptLoopState.Stopping);
        if (previous is AcceptLoopState.Created or AcceptLoopState.Stopped)
        {
            Volatile.Write(ref _state, (int)AcceptLoopState.Stopped);
            _ended.TrySetResult();
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Dispose();
        await _ended.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops (see <see cref="StopAsync"/>) and gives the descriptor reserve back.</summary>
    /// <returns>A task that completes when the accept thread has ended.</returns>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _descriptorReserve.Dispose();
        _stopping.Dispose();
    }

    private void Run()
    {
        var cancellationToken = _stopping.Token;
        var retryDelay = _options.FirstRetryDelay;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                Socket socket;
                try
                {
                    socket = _options.Accept(_listener!);
                    retryDelay = _options.FirstRetryDelay;
                }
                catch (Exception e) when (e is ObjectDisposedException || (e is SocketException && cancellationToken.IsCancellationRequested))
                {
                    return;
                }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionAborted or SocketError.ConnectionReset or SocketError.Interrupted)
                {
                    // The peer gave up while its connection waited in the backlog: nothing to back off from.
                    continue;
                }
                catch (SocketException e)
                {
                    // Out of descriptors or buffers: keep serving the connections there are and try
                    // again, backing off so a lasting error does not spin. The reserve goes back to
                    // the process first, so the runtime has room to work, and accepting resumes
                    // only once it is whole again (a connection ended, or the process freed descriptors).
                    _descriptorReserve.Release();

                    // The wait starts before the failure is reported, so whoever hears of it can move a fake clock past it.
                    var wait = Task.Delay(retryDelay, _timeProvider, cancellationToken);
                    _options.OnAcceptFailed?.Invoke(e.SocketErrorCode, retryDelay);
                    while (true)
                    {
                        if (!Wait(wait, cancellationToken))
                        {
                            return;
                        }

                        retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, _options.MaxRetryDelay.Ticks));
                        if (TryRefillReserve())
                        {
                            break;
                        }

                        wait = Task.Delay(retryDelay, _timeProvider, cancellationToken);
                    }

                    continue;
                }

                if (!Hand(socket, cancellationToken))
                {
                    return;
                }
            }
        }
        finally
        {
            Volatile.Write(ref _state, (int)AcceptLoopState.Stopped);
            _ended.TrySetResult();
        }
    }

    /// <summary>Gives the connection to the server and waits for what it returns; <see langword="false"/> when stopping.</summary>
    private bool Hand(Socket socket, CancellationToken cancellationToken)
    {
        ValueTask next;
        try
        {
            next = _onAccepted(socket, cancellationToken);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Gone before it was served.
            socket.Dispose();
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A fault in serving one connection must not end the accept thread (and with it the process).
            socket.Dispose();
            _options.OnHandlerFailed?.Invoke(e);
            return true;
        }

        if (next.IsCompletedSuccessfully)
        {
            return true;
        }

        try
        {
            next.AsTask().Wait(cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (AggregateException)
        {
            // The handler's own failure is the handler's to report; the loop goes on.
            return true;
        }
    }

    private static bool Wait(Task delay, CancellationToken cancellationToken)
    {
        try
        {
            delay.Wait(cancellationToken);
            return true;
        }
        catch (Exception e) when (e is OperationCanceledException || (e is AggregateException && cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    private bool TryRefillReserve() => _descriptorReserve.TryFillWithHeadroom();
}
