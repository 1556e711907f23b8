using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace GoplNet.Clock;

public sealed partial class ClockServer
{
    // The registry: held only to add, remove or snapshot clients, never while a broadcast sends,
    // so a new client is admitted at once however many clients a tick is writing to.
    private readonly Lock _gate = new();
    private readonly byte[] _admitScratch;
    private ClockClient?[] _clients = new ClockClient?[16];
    private int _clientCount;
    private long _nextClientId;

    /// <summary>
    /// Greets a new connection with the current time line and adds it to the broadcast. Runs on the
    /// accept thread; in sequential mode the task it returns holds the next accept until this client has gone.
    /// </summary>
    private ValueTask Admit(Socket socket, CancellationToken cancellationToken)
    {
        var client = TryAdmit(socket);
        return client?.Gone is { } gone ? new ValueTask(gone.Task) : default;
    }

    private ClockClient? TryAdmit(Socket socket)
    {
        var id = Interlocked.Increment(ref _nextClientId);
        var client = new ClockClient(id, socket, _options.MaxUnsentBytesPerClient, OnClientFailed)
        {
            Gone = _options.Mode == ClockServerMode.Sequential
                ? new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)
                : null,
        };

        int clients;
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested)
            {
                client.Close();
                return null;
            }

            if (_clientCount >= _options.MaxClients)
            {
                using (ClockServerLog.ClientScope(_logger, client.Id, client.RemoteEndPoint))
                {
                    ClockServerLog.ClientRejected(_logger, _options.MaxClients);
                }

                client.Close();
                return null;
            }

            // The time is read under the gate, after any tick that snapshotted the registry before
            // this client joined it: the greeting names that tick's interval or a later one, so the
            // client misses no line, and LastIndex keeps a later broadcast from repeating it. The
            // greeting is sent under the gate too, so no later line can overtake it.
            var index = IndexOf(_timeProvider.GetUtcNow());
            client.LastIndex = index;
            var line = LineFor(index);
            if (client.Send(line) is ClockSendResult.Failed or ClockSendResult.Overflow)
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
            clients = _clientCount;
            ClockServerMetrics.ClientAdmitted(line.Length);
        }

        if (_logger.IsEnabled(LogLevel.Debug))
        {
            using (ClockServerLog.ClientScope(_logger, client.Id, client.RemoteEndPoint))
            {
                ClockServerLog.ClientConnected(_logger, clients);
            }
        }

        return client;
    }

    /// <summary>The line of interval <paramref name="index"/>: the last broadcast's bytes when they name it, else formatted anew. Called under the gate.</summary>
    private ReadOnlyMemory<byte> LineFor(long index) =>
        Volatile.Read(ref _currentLine) is { } current && current.Index == index
            ? current.Bytes
            : FormatLine(index, _admitScratch);

    private void OnClientFailed(ClockClient client, string reason)
    {
        bool dropped;
        lock (_gate)
        {
            dropped = Remove(client);
        }

        if (dropped)
        {
            Closed(client, reason);
        }
    }

    /// <summary>Takes a client out of the registry; <see langword="false"/> when it was gone already. Called under the gate.</summary>
    private bool Remove(ClockClient client)
    {
        var slot = client.Slot;
        if (slot < 0 || slot >= _clientCount || _clients[slot] != client)
        {
            return false;
        }

        var last = _clients[--_clientCount]!;
        _clients[slot] = last;
        last.Slot = slot;
        _clients[_clientCount] = null;
        client.Slot = -1;
        return true;
    }

    /// <summary>Closes a client taken out of the registry; a <see langword="null"/> reason means it passed its unsent-bytes bound.</summary>
    private void Closed(ClockClient client, string? reason)
    {
        ClockServerMetrics.ClientsGone(1);
        if (reason is null)
        {
            ClockServerMetrics.SlowClientDropped();
            using (ClockServerLog.ClientScope(_logger, client.Id, client.RemoteEndPoint))
            {
                ClockServerLog.SlowClientDropped(_logger, _options.MaxUnsentBytesPerClient);
            }
        }
        else if (_logger.IsEnabled(LogLevel.Debug))
        {
            using (ClockServerLog.ClientScope(_logger, client.Id, client.RemoteEndPoint))
            {
                ClockServerLog.ClientDisconnected(_logger, reason);
            }
        }

        client.Close();
    }
}
