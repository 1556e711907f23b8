using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace GoplNet.Net;

/// <summary>The reconnecting watch, and the client's log messages (each inside its connection's scope).</summary>
public sealed partial class LineClient
{
    /// <summary>
    /// Keeps a connection to the server, reading its lines, for as long as the enumeration runs:
    /// a refused, failed or closed connection is reported and retried after a wait that doubles
    /// on each failure (from <see cref="LineClientOptions.ReconnectDelay"/> up to
    /// <see cref="LineClientOptions.MaxReconnectDelay"/>, with jitter) and starts over once a
    /// connection has delivered a line (a server that accepts and hangs up at once keeps backing
    /// off). Independent of <see cref="ConnectAsync"/>. Failures are reported as events, never thrown.
    /// </summary>
    /// <param name="cancellationToken">Ends the watch (the enumeration then completes without an exception).</param>
    /// <returns>
    /// State changes and lines, in order: <see cref="LineClientEvent.Connecting"/>, <see cref="LineClientEvent.Connected"/>,
    /// <see cref="LineClientEvent.LineReceived"/>, <see cref="LineClientEvent.ConnectFailed"/>,
    /// <see cref="LineClientEvent.Disconnected"/>, <see cref="LineClientEvent.Reconnecting"/>.
    /// </returns>
    public async IAsyncEnumerable<LineClientEvent> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var delay = _options.ReconnectDelay;
        var attempt = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            yield return new LineClientEvent.Connecting(_timeProvider.GetUtcNow());
            var id = Interlocked.Increment(ref _nextConnectionId);
            var (socket, connectError) = await TryOpenAsync(cancellationToken).ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
            {
                socket?.Dispose();
                yield break;
            }

            if (socket is null)
            {
                LogConnectFailed(id, connectError!);
                yield return new LineClientEvent.ConnectFailed(_timeProvider.GetUtcNow(), connectError!);
            }
            else
            {
                LineClientException ended;
                using (socket)
                {
                    LogConnected(id, socket);
                    yield return new LineClientEvent.Connected(_timeProvider.GetUtcNow(), socket.RemoteEndPoint!);
                    var reader = new LineReader(socket, _options.MaxLineLength, _encoding, _tags);
                    while (true)
                    {
                        var (line, readError) = await TryReadAsync(reader, cancellationToken).ConfigureAwait(false);
                        if (cancellationToken.IsCancellationRequested)
                        {
                            yield break;
                        }

                        if (line is null)
                        {
                            ended = readError ?? new LineClientException(LineClientFailure.Closed, Address);
                            break;
                        }

                        // Only a connection that works resets the backoff, so that a server which
                        // accepts and closes straight away is not redialled at the shortest wait forever.
                        delay = _options.ReconnectDelay;
                        attempt = 0;
                        yield return new LineClientEvent.LineReceived(_timeProvider.GetUtcNow(), line);
                    }
                }

                LogDisconnected(id, ended.Message);
                yield return new LineClientEvent.Disconnected(_timeProvider.GetUtcNow(), ended);
            }

            var wait = WithJitter(delay);
            attempt++;
            LineClientMetrics.Reconnecting(_tags);
            LogRetrying(id, wait, attempt);
            yield return new LineClientEvent.Reconnecting(_timeProvider.GetUtcNow(), attempt, wait);
            try
            {
                await Task.Delay(wait, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxReconnectDelay.Ticks));
        }
    }

    private TimeSpan WithJitter(TimeSpan delay)
    {
        var spread = _options.ReconnectJitter * ((Random.Shared.NextDouble() * 2) - 1);
        return TimeSpan.FromTicks((long)(delay.Ticks * (1 + spread)));
    }

    private async Task<(Socket? Socket, LineClientException? Error)> TryOpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await OpenAsync(cancellationToken).ConfigureAwait(false), null);
        }
        catch (LineClientException e)
        {
            return (null, e);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (null, null);
        }
    }

    private async Task<(string? Line, LineClientException? Error)> TryReadAsync(LineReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return (await ReadLineAsync(reader, cancellationToken).ConfigureAwait(false), null);
        }
        catch (LineClientException e)
        {
            return (null, e);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (null, null);
        }
    }

    private void LogConnected(long connectionId, Socket socket)
    {
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            using var scope = LineClientLog.BeginConnectionScope(_logger, connectionId, Address);
            LineClientLog.Connected(_logger, Address, socket.RemoteEndPoint);
        }
    }

    private void LogConnectFailed(long connectionId, LineClientException error)
    {
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            using var scope = LineClientLog.BeginConnectionScope(_logger, connectionId, Address);
            LineClientLog.ConnectFailed(_logger, Address, error.Message);
        }
    }

    private void LogDisconnected(long connectionId, string reason)
    {
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            using var scope = LineClientLog.BeginConnectionScope(_logger, connectionId, Address);
            LineClientLog.Disconnected(_logger, Address, reason);
        }
    }

    private void LogRetrying(long connectionId, TimeSpan wait, int attempt)
    {
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            using var scope = LineClientLog.BeginConnectionScope(_logger, connectionId, Address);
            LineClientLog.Retrying(_logger, Address, (long)wait.TotalMilliseconds, attempt);
        }
    }
}
