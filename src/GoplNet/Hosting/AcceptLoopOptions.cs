using System.Net.Sockets;

namespace GoplNet.Hosting;

/// <summary>How an <see cref="AcceptLoop"/> listens and rides out accept failures.</summary>
internal sealed class AcceptLoopOptions
{
    /// <summary>The listen backlog: connections the kernel queues before they are accepted.</summary>
    public int Backlog { get; init; } = 512;

    /// <summary>The wait after the first failed accept; it doubles on each failure in a row, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>The longest wait between accept retries.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Descriptors held back for the runtime, given back when accepting fails for lack of them.</summary>
    public int DescriptorReserveSize { get; init; } = 32;

    /// <summary>The accept thread's name, as debuggers and <c>top -H</c> show it.</summary>
    public string ThreadName { get; init; } = "GoplNet accept";

    /// <summary>Told of each accept failure that backs off: the error and the wait before the retry (the server logs it).</summary>
    public Action<SocketError, TimeSpan>? OnAcceptFailed { get; init; }

    /// <summary>Told when the handler threw (other than for a connection already gone): the connection is closed and accepting goes on.</summary>
    public Action<Exception>? OnHandlerFailed { get; init; }

    /// <summary>Takes the next connection off the listener; tests put failures in front of <see cref="Socket.Accept"/>.</summary>
    public Func<Socket, Socket> Accept { get; init; } = static listener => listener.Accept();
}
