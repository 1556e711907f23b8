using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace GoplNet.Clock;

public sealed partial class ClockServer
{
    private static readonly TimeSpan FirstAcceptRetryDelay = TimeSpan.FromMilliseconds(10);

    private async Task AcceptLoopAsync(CancellationToken cancellationToken)
    {
        var retryDelay = FirstAcceptRetryDelay;
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener!.AcceptAsync(cancellationToken).ConfigureAwait(false);
                retryDelay = FirstAcceptRetryDelay;
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException
                || (e is SocketException && cancellationToken.IsCancellationRequested))
            {
                return;
            }
            catch (SocketException e)
            {
                // Out of file descriptors, or a connection reset while queued: keep serving the
                // clients we have and try again, backing off so a persistent error does not spin.
                // The reserve goes back to the process first, so the runtime has room to work.
                _descriptorReserve.Release();
                ClockServerLog.AcceptFailed(_logger, e.SocketErrorCode.ToString(), (int)retryDelay.TotalMilliseconds);
                do
                {
                    try
                    {
                        await Task.Delay(retryDelay, _timeProvider, cancellationToken).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }

                    retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, MaxAcceptRetryDelay.Ticks));
                }
                while (!TryRefillReserve());

                continue;
            }

            var client = Admit(socket);
            if (client?.Gone is { } gone)
            {
                try
                {
                    // Sequential mode: the next client waits in the backlog until this one has gone.
                    await gone.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Greets a new connection with the current time line and adds it to the broadcast.</summary>
    private ClockClient? Admit(Socket socket)
    {
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested)
            {
                socket.Dispose();
                return null;
            }

            if (_clientCount >= _options.MaxClients)
            {
                ClockServerLog.ClientRejected(_logger, socket.RemoteEndPoint, _options.MaxClients);
                socket.Dispose();
                return null;
            }

            var client = new ClockClient(socket, _options.MaxUnsentBytesPerClient, OnClientFailed)
            {
                Gone = _options.Mode == ClockServerMode.Sequential
                    ? new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)
                    : null,
            };

            // Under the gate, so no tick can fall between the greeting and the registration: the
            // client's next line is the next interval, never a skip, and LastIndex rules out a repeat.
            var index = IndexOf(_timeProvider.GetUtcNow());
            client.LastIndex = index;
            if (client.Send(FormatLine(index)) is ClockSendResult.Failed or ClockSendResult.Overflow)
            {
                client.Close();
                return null;
            }

            if (_clientCount == _clients.Length)
            {
                Array.Resize(ref _clients, _clients.Length * 2);
            }

            client.Slot = _clientCount;
            _clients[_clientCount++] = client;
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                ClockServerLog.ClientConnected(_logger, client.RemoteEndPoint, _clientCount);
            }

            return client;
        }
    }

    /// <summary>Accepting resumes only once the reserve is whole again: a client left, or the process freed descriptors.</summary>
    private bool TryRefillReserve()
    {
        if (_descriptorReserve.TryFill())
        {
            return true;
        }

        _descriptorReserve.Release();
        return false;
    }

    private void OnClientFailed(ClockClient client, string reason)
    {
        lock (_gate)
        {
            Drop(client, reason);
        }
    }

    /// <summary>Removes and closes a client; a <see langword="null"/> reason means it passed its unsent-bytes bound. Called under the gate.</summary>
    private void Drop(ClockClient client, string? reason)
    {
        var slot = client.Slot;
        if (slot < 0 || slot >= _clientCount || _clients[slot] != client)
        {
            return;
        }

        var last = _clients[--_clientCount]!;
        _clients[slot] = last;
        last.Slot = slot;
        _clients[_clientCount] = null;
        client.Slot = -1;

        if (reason is null)
        {
            ClockServerLog.SlowClientDropped(_logger, client.RemoteEndPoint, _options.MaxUnsentBytesPerClient);
        }
        else if (_logger.IsEnabled(LogLevel.Debug))
        {
            ClockServerLog.ClientDisconnected(_logger, client.RemoteEndPoint, reason);
        }

        client.Close();
    }
}
