using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GoplNet.Tests;

/// <summary>A loopback TCP client for tests: reads lines with a time limit on every wait.</summary>
internal sealed class LineSocket : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly Socket _socket;
    private readonly StreamReader _reader;

    private LineSocket(Socket socket)
    {
        _socket = socket;
        _reader = new StreamReader(new NetworkStream(socket, ownsSocket: false), Encoding.UTF8, false, 1024);
    }

    public Socket Socket => _socket;

    public static async Task<LineSocket> ConnectAsync(IPEndPoint endPoint, int? receiveBufferSize = null)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (receiveBufferSize is { } size)
        {
            // Set before connecting, so the advertised window is small from the start.
            socket.ReceiveBufferSize = size;
        }

        using var cts = new CancellationTokenSource(Timeout);
        await socket.ConnectAsync(endPoint, cts.Token);
        return new LineSocket(socket);
    }

    /// <summary>The next line without its newline, or <see langword="null"/> at the end of the stream.</summary>
    public async Task<string?> ReadLineAsync()
    {
        using var cts = new CancellationTokenSource(Timeout);
        try
        {
            return await _reader.ReadLineAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no line within {Timeout}");
        }
        catch (IOException)
        {
            // A reset ends the stream as surely as a close does.
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _socket.Dispose();
        await Task.CompletedTask;
    }
}
