using System.Net.Security;
using System.Net.Sockets;
using GoplNet.Ftp.Protocol;

namespace GoplNet.Ftp.Data;

/// <summary>A transfer as STAT sees it while it runs: what moves where, and the bytes so far.</summary>
internal sealed class FtpTransferProgress(FtpTransferKind direction, string path)
{
    private long _bytes;

    public FtpTransferKind Direction { get; } = direction;

    public string Path { get; } = path;

    /// <summary>The bytes moved so far (on the wire for downloads and listings, from the wire for uploads).</summary>
    public long Bytes
    {
        get => Volatile.Read(ref _bytes);
        set => Volatile.Write(ref _bytes, value);
    }

    public string Describe() => Direction switch
    {
        FtpTransferKind.Upload => $"Receiving {Path}",
        FtpTransferKind.Download => $"Sending {Path}",
        _ => $"Listing {Path}",
    };
}

/// <summary>
/// An open data connection: the stream to use (TLS or plain), the socket when plain (for
/// zero-copy sends), and the stall watch: a timer that cuts the transfer off once no byte has
/// moved for the stall timeout. Bytes move when the transfer reports progress, and, during a
/// zero-copy send (where the kernel moves the bytes unseen), when the client acknowledges more of
/// them (TCP_INFO's bytes_acked on Linux), so a slow reader is never taken for a stalled one.
/// </summary>
internal sealed class FtpDataConnection
{
    private const int TcpLevel = 6;
    private const int TcpInfo = 11;
    private const int BytesAckedOffset = 120;

    private readonly Socket _socket;
    private readonly bool _encrypted;
    private readonly CancellationTokenSource _stall;
    private readonly TimeSpan _stallTimeout;
    private readonly TimeProvider _timeProvider;
    private readonly FtpTransferProgress _progress;
    private readonly ITimer _stallTimer;
    private long _lastProgress;
    private long _acknowledged = -1;
    private volatile bool _kernelSends;

    private FtpDataConnection(
        Socket socket, Stream stream, bool encrypted, FtpTransferProgress progress, CancellationTokenSource stall, TimeSpan stallTimeout,
        TimeProvider timeProvider, CancellationToken token)
    {
        _socket = socket;
        Stream = stream;
        _encrypted = encrypted;
        _progress = progress;
        _stall = stall;
        _stallTimeout = stallTimeout;
        _timeProvider = timeProvider;
        Token = token;
        _lastProgress = timeProvider.GetTimestamp();
        _stallTimer = timeProvider.CreateTimer(static s => ((FtpDataConnection)s!).CheckForStall(), this, stallTimeout, Timeout.InfiniteTimeSpan);
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
            return new FtpDataConnection(socket, new NetworkStream(socket, ownsSocket: false), encrypted: false, progress, stall, stallTimeout, timeProvider, cancellationToken);
        }

        var stream = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false);
        try
        {
            using var timeout = new CancellationTokenSource(handshakeTimeout, timeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            await stream.AuthenticateAsServerAsync(tls.TlsOptions(upload: progress.Direction == FtpTransferKind.Upload), linked.Token).ConfigureAwait(false);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            socket.Dispose();
            throw;
        }

        return new FtpDataConnection(socket, stream, encrypted: true, progress, stall, stallTimeout, timeProvider, cancellationToken);
    }

    /// <summary>
    /// From now on the kernel sends bytes this process does not see (sendfile): the client's
    /// acknowledgements count as progress, and they are the byte count of a download cut short.
    /// </summary>
    public void CountKernelSends()
    {
        _acknowledged = Acknowledged();
        _kernelSends = _acknowledged >= 0;
    }

    /// <summary>Records the bytes moved so far.</summary>
    public void Progress(long bytes)
    {
        _progress.Bytes = bytes;
        Volatile.Write(ref _lastProgress, _timeProvider.GetTimestamp());
    }

    /// <summary>
    /// Ends the connection cleanly: TLS close_notify, then the TCP close. Every byte has been
    /// handed over by now, so a client that resets the connection at its end (as TLS 1.3
    /// clients do when session tickets arrive unread) does not turn the transfer into a failure.
    /// </summary>
    public async Task FinishAsync()
    {
        _kernelSends = false;
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

    /// <summary>Closes the connection; a zero-copy send cut short counts what the client acknowledged.</summary>
    public void Close()
    {
        _stallTimer.Dispose();
        if (_kernelSends && Acknowledged() is >= 0 and var acknowledged)
        {
            _kernelSends = false;
            _progress.Bytes = acknowledged;
        }

        Stream.Dispose();
        _socket.Dispose();
    }

    private void CheckForStall()
    {
        if (_kernelSends && Acknowledged() is var acknowledged && acknowledged != _acknowledged)
        {
            _acknowledged = acknowledged;
            _progress.Bytes = Math.Max(_progress.Bytes, acknowledged);
            Volatile.Write(ref _lastProgress, _timeProvider.GetTimestamp());
        }

        var idle = _timeProvider.GetElapsedTime(Volatile.Read(ref _lastProgress));
        try
        {
            if (idle >= _stallTimeout)
            {
                _stall.Cancel();
            }
            else
            {
                _stallTimer.Change(_stallTimeout - idle, Timeout.InfiniteTimeSpan);
            }
        }
        catch (ObjectDisposedException)
        {
            // The transfer has ended meanwhile.
        }
    }

    /// <summary>The bytes the client has acknowledged on this connection (Linux TCP_INFO), or -1 where the kernel does not say.</summary>
    private long Acknowledged()
    {
        if (!OperatingSystem.IsLinux())
        {
            return -1;
        }

        Span<byte> info = stackalloc byte[256];
        try
        {
            var length = _socket.GetRawSocketOption(TcpLevel, TcpInfo, info);
            return length >= BytesAckedOffset + sizeof(long) ? System.Runtime.InteropServices.MemoryMarshal.Read<long>(info[BytesAckedOffset..]) : -1;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return -1;
        }
    }
}
