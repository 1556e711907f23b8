using System.Net.Security;
using System.Net.Sockets;

namespace GoplNet;

/// <summary>A transfer as STAT sees it while it runs: what moves where, and the bytes so far.</summary>
internal sealed class FtpTransferProgress(FtpTransferDirection direction, string path)
{
    private long _bytes;

    public FtpTransferDirection Direction { get; } = direction;

    public string Path { get; } = path;

    /// <summary>The bytes moved so far (on the wire for downloads and listings, from the wire for uploads).</summary>
    public long Bytes
    {
        get => Volatile.Read(ref _bytes);
        set => Volatile.Write(ref _bytes, value);
    }

    public string Describe() => Direction switch
    {
        FtpTransferDirection.Upload => $"Receiving {Path}",
        FtpTransferDirection.Download => $"Sending {Path}",
        _ => $"Listing {Path}",
    };
}

/// <summary>
/// An open data connection: the stream to use (TLS or plain), the socket when plain (for
/// zero-copy sends), and the stall watch that each bit of progress re-arms.
/// </summary>
internal sealed class FtpDataConnection
{
    private readonly Socket _socket;
    private readonly bool _encrypted;
    private readonly CancellationTokenSource _stall;
    private readonly TimeSpan _stallTimeout;
    private readonly FtpTransferProgress _progress;

    private FtpDataConnection(Socket socket, Stream stream, bool encrypted, FtpTransferProgress progress, CancellationTokenSource stall, TimeSpan stallTimeout, CancellationToken token)
    {
        _socket = socket;
        Stream = stream;
        _encrypted = encrypted;
        _progress = progress;
        _stall = stall;
        _stallTimeout = stallTimeout;
        Token = token;
        Progress(0);
    }

    /// <summary>The socket, when the data is not encrypted (bytes can go to it directly).</summary>
    public Socket? Socket => _encrypted ? null : _socket;

    public Stream Stream { get; }

    public CancellationToken Token { get; }

    /// <summary>
    /// Opens the data connection and, when <paramref name="tls"/> is given (PROT P), its TLS
    /// handshake (which may resume the control connection's session).
    /// </summary>
    public static async Task<FtpDataConnection> OpenAsync(
        FtpDataChannel channel, FtpSessionContext? tls, FtpTransferProgress progress, CancellationTokenSource stall, TimeSpan stallTimeout,
        TimeSpan handshakeTimeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var socket = await channel.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (tls is null)
        {
            return new FtpDataConnection(socket, new NetworkStream(socket, ownsSocket: false), encrypted: false, progress, stall, stallTimeout, cancellationToken);
        }

        var stream = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false);
        try
        {
            using var timeout = new CancellationTokenSource(handshakeTimeout, timeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            await stream.AuthenticateAsServerAsync(tls.TlsOptions(upload: progress.Direction == FtpTransferDirection.Upload), linked.Token).ConfigureAwait(false);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            socket.Dispose();
            throw;
        }

        return new FtpDataConnection(socket, stream, encrypted: true, progress, stall, stallTimeout, cancellationToken);
    }

    /// <summary>Records the bytes moved so far and re-arms the stall watch.</summary>
    public void Progress(long bytes)
    {
        _progress.Bytes = bytes;
        try
        {
            _stall.CancelAfter(_stallTimeout);
        }
        catch (ObjectDisposedException)
        {
            // The transfer has ended.
        }
    }

    /// <summary>
    /// Ends the connection cleanly: TLS close_notify, then the TCP close. Every byte has been
    /// handed over by now, so a client that resets the connection at its end (as TLS 1.3
    /// clients do when session tickets arrive unread) does not turn the transfer into a failure.
    /// </summary>
    public async Task FinishAsync()
    {
        try
        {
            if (_encrypted && Stream is SslStream tls)
            {
                await tls.ShutdownAsync().ConfigureAwait(false);
            }

            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // The client has closed first.
        }

        Close();
    }

    public void Close()
    {
        Stream.Dispose();
        _socket.Dispose();
    }
}
