using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace GoplNet;

/// <summary>
/// One control connection: reads commands, answers them, and runs at most one transfer beside
/// the command loop (so ABOR, STAT and NOOP are answered while data flows; other commands wait
/// for the transfer, which keeps pipelined commands in order).
/// </summary>
internal sealed partial class FtpSession : IDisposable
{
    private static readonly string[] AnonymousNames = ["anonymous", "ftp"];

    private readonly Socket _control;
    private readonly FtpSessionContext _context;
    private readonly FtpServerOptions _options;
    private readonly IFtpFileSystem _fileSystem;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly FtpCommandReader _reader;
    private readonly SemaphoreSlim _replyLock = new(1, 1);
    private readonly IPAddress _peer;
    private readonly IPAddress _local;
    private readonly ITimer _idleTimer;
    private Stream _stream;
    private string _cwd = "/";
    private string? _pendingUser;
    private string? _user;
    private bool _anonymous;
    private bool _readOnly;
    private bool _binary;
    private long _restartOffset;
    private string? _renameFrom;
    private FtpDataChannel? _data;
    private Task _transfer = Task.CompletedTask;
    private CancellationTokenSource? _transferCancellation;
    private bool _controlProtected;
    private bool _protectData;
    private int _loginFailures;
    private int _refusedBeforeLogin;
    private int _closed;
    private volatile bool _dataConnected;
    private Task<CommandLine>? _pendingRead;
    private readonly Queue<CommandLine> _queued = new();

    public FtpSession(long id, Socket control, FtpSessionContext context)
    {
        Id = id;
        _control = control;
        _context = context;
        _options = context.Options;
        _fileSystem = context.FileSystem;
        _timeProvider = context.TimeProvider;
        _logger = context.Logger;
        control.NoDelay = true;

        // Clients send ABOR as urgent data: read it in line with the rest.
        control.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.OutOfBandInline, true);
        _stream = new NetworkStream(control, ownsSocket: false);
        _reader = new FtpCommandReader(_stream, _options.MaxCommandLength);
        _peer = ((IPEndPoint)control.RemoteEndPoint!).Address;
        _local = ((IPEndPoint)control.LocalEndPoint!).Address;
        _idleTimer = _timeProvider.CreateTimer(static s => ((FtpSession)s!).OnIdle(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public long Id { get; }

    /// <summary>The client's address (IPv4-mapped addresses as IPv4), which per-address limits count.</summary>
    public IPAddress Peer => _peer.IsIPv4MappedToIPv6 ? _peer.MapToIPv4() : _peer;

    private bool LoggedIn => _user is not null;

    public Task WhenTransfersDoneAsync() => _transfer;

    public void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        _idleTimer.Dispose();
        CancelTransfer();
        _data?.Dispose();
        _control.Dispose();
    }

    public void Dispose()
    {
        Close();
        _stream.Dispose();
        _replyLock.Dispose();
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            FtpServerLog.SessionStarted(_logger, Id, _control.RemoteEndPoint);
        }

        try
        {
            await ReplyAsync(220, _options.Banner).ConfigureAwait(false);
            while (true)
            {
                RestartIdleTimer();
                var read = await NextLineAsync(cancellationToken).ConfigureAwait(false);
                if (read.TooLong)
                {
                    await ReplyAsync(500, "Command line too long.").ConfigureAwait(false);
                    return;
                }

                if (read.NotUtf8)
                {
                    if (!await RefuseAsync(501, "Invalid UTF-8 in command.").ConfigureAwait(false))
                    {
                        return;
                    }

                    continue;
                }

                if (read.Line is null)
                {
                    await EndWithClientGoneAsync().ConfigureAwait(false);
                    return;
                }

                var (verb, argument) = Split(read.Line);
                if (!_transfer.IsCompleted)
                {
                    switch (verb)
                    {
                        case "ABOR":
                            await AbortAsync().ConfigureAwait(false);
                            continue;
                        case "STAT":
                            await ReplyAsync(213, "Transfer in progress.").ConfigureAwait(false);
                            continue;
                        case "NOOP":
                            await ReplyAsync(200, "NOOP ok.").ConfigureAwait(false);
                            continue;
                    }

                    if (!await WaitForTransferWhileListeningAsync(cancellationToken).ConfigureAwait(false))
                    {
                        return;
                    }
                }

                if (!await ExecuteAsync(verb, argument, cancellationToken).ConfigureAwait(false))
                {
                    await WaitForTransferAsync().ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away, the session timed out, or the server is stopping.
        }
        finally
        {
            _idleTimer.Dispose();
            _data?.Dispose();
            FtpServerLog.SessionEnded(_logger, Id);
        }
    }

    /// <summary>Answers a connection past a session limit with 421 and closes it.</summary>
    public Task RefuseConnectionAsync() => CloseWith421Async("Too many connections; try again later.");

    /// <summary>The next command line: one read while waiting for a transfer comes first, then a new read.</summary>
    private async Task<CommandLine> NextLineAsync(CancellationToken cancellationToken)
    {
        if (_queued.Count > 0)
        {
            return _queued.Dequeue();
        }

        var pending = _pendingRead ?? ReadCommandAsync(cancellationToken);
        _pendingRead = null;
        return await pending.ConfigureAwait(false);
    }

    private async Task<CommandLine> ReadCommandAsync(CancellationToken cancellationToken)
    {
        try
        {
            return new CommandLine(await _reader.ReadLineAsync(cancellationToken).ConfigureAwait(false), false, false);
        }
        catch (InvalidDataException)
        {
            return new CommandLine(null, TooLong: true, NotUtf8: false);
        }
        catch (DecoderFallbackException)
        {
            return new CommandLine(null, TooLong: false, NotUtf8: true);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // A reset, a timeout's close or the server's stop: the end of the control connection.
            return new CommandLine(null, TooLong: false, NotUtf8: false);
        }
    }

    /// <summary>
    /// Waits for the running transfer before the next command, still reading the control
    /// connection: ABOR is acted on at once, other lines wait their turn, and a client that closes
    /// the control connection ends the session (see <see cref="EndWithClientGoneAsync"/>).
    /// <see langword="false"/> when the session is over.
    /// </summary>
    private async Task<bool> WaitForTransferWhileListeningAsync(CancellationToken cancellationToken)
    {
        while (!_transfer.IsCompleted)
        {
            _pendingRead ??= ReadCommandAsync(cancellationToken);
            await Task.WhenAny(_transfer, _pendingRead).ConfigureAwait(false);
            if (!_pendingRead.IsCompleted)
            {
                break;
            }

            var read = await _pendingRead.ConfigureAwait(false);
            _pendingRead = null;
            if (read is { Line: null, TooLong: false, NotUtf8: false })
            {
                await EndWithClientGoneAsync().ConfigureAwait(false);
                return false;
            }

            if (read.Line is { } line && Split(line).Verb == "ABOR")
            {
                await AbortAsync().ConfigureAwait(false);
                continue;
            }

            _queued.Enqueue(read);
        }

        await WaitForTransferAsync().ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// The client has closed the control connection: a transfer still waiting for its data
    /// connection is abandoned; one whose data already flows may finish (an upload the client has
    /// sent in full is kept), bounded by the stall timeout.
    /// </summary>
    private async Task EndWithClientGoneAsync()
    {
        if (!_transfer.IsCompleted && !_dataConnected)
        {
            CancelTransfer();
        }

        await WaitForTransferAsync().ConfigureAwait(false);
    }

    /// <summary>Splits "VERB argument": the verb upper-cased, the argument as sent (spaces in names kept).</summary>
    internal static (string Verb, string Argument) Split(string line)
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        return space < 0
            ? (line.Trim().ToUpperInvariant(), string.Empty)
            : (line[..space].Trim().ToUpperInvariant(), line[(space + 1)..]);
    }

    /// <summary>
    /// Answers a refused command. Before login the refusals are counted: past the limit the session
    /// is answered 421 and <see langword="false"/> says to close it.
    /// </summary>
    private async Task<bool> RefuseAsync(int code, string text)
    {
        if (!LoggedIn && ++_refusedBeforeLogin > _options.MaxRefusedCommandsBeforeLogin)
        {
            FtpServerLog.SessionRefused(_logger, Id, "too many refused commands before login");
            await ReplyAsync(421, "Too many commands refused; closing control connection.").ConfigureAwait(false);
            return false;
        }

        await ReplyAsync(code, text).ConfigureAwait(false);
        return true;
    }

    private void RestartIdleTimer()
    {
        try
        {
            _idleTimer.Change(_options.IdleTimeout, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // The session is closing.
        }
    }

    /// <summary>The control connection has been silent for the idle timeout: unless a transfer runs, say so and close.</summary>
    private void OnIdle()
    {
        if (!_transfer.IsCompleted)
        {
            RestartIdleTimer();
            return;
        }

        _ = TimeOutAsync();
    }

    private async Task TimeOutAsync()
    {
        FtpServerLog.SessionRefused(_logger, Id, "idle timeout");
        await CloseWith421Async("Timeout; closing control connection.").ConfigureAwait(false);
    }

    /// <summary>Replies 421 and closes; a client that reads nothing cannot hold the session open, the close follows within a second.</summary>
    private async Task CloseWith421Async(string text)
    {
        try
        {
            await Task.WhenAny(ReplyAsync(421, text), Task.Delay(TimeSpan.FromSeconds(1))).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
        {
            // Closing anyway.
        }
        finally
        {
            Close();
        }
    }

    private async Task WaitForTransferAsync()
    {
        try
        {
            await _transfer.ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The transfer has answered for itself.
        }
    }

    private async Task AbortAsync()
    {
        if (_transfer.IsCompleted)
        {
            await ReplyAsync(225, "No transfer to abort.").ConfigureAwait(false);
            return;
        }

        CancelTransfer();
        await WaitForTransferAsync().ConfigureAwait(false);
        await ReplyAsync(226, "ABOR successful.").ConfigureAwait(false);
    }

    /// <summary>Cuts the running transfer off (it answers 426 itself); nothing when it has just ended.</summary>
    private void CancelTransfer()
    {
        try
        {
            _transferCancellation?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The transfer has ended meanwhile.
        }
    }

    /// <summary>AUTH TLS: replies 234, then the handshake; from then on the control connection is encrypted and the login starts over.</summary>
    private async Task<bool> AuthenticateAsync(string argument)
    {
        var mechanism = argument.Trim().ToUpperInvariant();
        if (_context.Certificate is null)
        {
            await ReplyAsync(502, "TLS is not configured on this server.").ConfigureAwait(false);
            return true;
        }

        if (mechanism is not ("TLS" or "TLS-C" or "SSL"))
        {
            await ReplyAsync(504, "AUTH TLS is the mechanism supported.").ConfigureAwait(false);
            return true;
        }

        if (_controlProtected)
        {
            await ReplyAsync(503, "The control connection is protected already.").ConfigureAwait(false);
            return true;
        }

        if (_reader.HasBufferedBytes)
        {
            // Commands sent past AUTH before its reply cannot be told from the handshake.
            await ReplyAsync(503, "Nothing may follow AUTH before its reply; closing control connection.").ConfigureAwait(false);
            return false;
        }

        await ReplyAsync(234, "Proceed with negotiation.").ConfigureAwait(false);
        var tls = new SslStream(new NetworkStream(_control, ownsSocket: false), leaveInnerStreamOpen: false);
        using var timeout = new CancellationTokenSource(_options.DataConnectionTimeout, _timeProvider);
        try
        {
            await tls.AuthenticateAsServerAsync(_context.TlsOptions(upload: false), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
        {
            FtpServerLog.TlsFailed(_logger, Id, "control", e.Message);
            await tls.DisposeAsync().ConfigureAwait(false);
            return false;
        }

        await _replyLock.WaitAsync().ConfigureAwait(false);
        try
        {
            _stream = tls;
            _reader.Stream = tls;
        }
        finally
        {
            _replyLock.Release();
        }

        // RFC 4217: AUTH resets the session to "not logged in".
        _controlProtected = true;
        (_user, _pendingUser, _anonymous, _readOnly) = (null, null, false, false);
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            FtpServerLog.TlsEstablished(_logger, Id, tls.SslProtocol);
        }

        return true;
    }

    private Task ReplyAsync(int code, string text) => ReplyAsync(code, [text]);

    /// <summary>Sends a reply; several lines make a multi-line reply ("code-first", lines, "code last").</summary>
    private async Task ReplyAsync(int code, string[] lines)
    {
        var builder = new StringBuilder();
        var number = code.ToString(CultureInfo.InvariantCulture);
        for (var i = 0; i < lines.Length; i++)
        {
            var last = i == lines.Length - 1;
            if (i == 0 || last)
            {
                builder.Append(number).Append(last ? ' ' : '-');
            }
            else if (lines[i].Length >= 3 && char.IsAsciiDigit(lines[i][0]))
            {
                // A line of a multi-line reply must not look like its end.
                builder.Append(' ');
            }

            // A carriage return in a name goes out as CR NUL (RFC 959, RFC 2640), so no client takes
            // it for a line end; a line feed (possible only in a name made on the server's disk) as a space.
            builder.Append(lines[i].Replace("\r", "\r\0", StringComparison.Ordinal).Replace('\n', ' ')).Append("\r\n");
        }

        var bytes = Encoding.UTF8.GetBytes(builder.ToString());
        await _replyLock.WaitAsync().ConfigureAwait(false);
        try
        {
            await _stream.WriteAsync(bytes).ConfigureAwait(false);
        }
        finally
        {
            _replyLock.Release();
        }
    }

    /// <summary>A line read from the control connection, or why there is none (<see cref="Line"/> is <see langword="null"/> at the end of the stream).</summary>
    private readonly record struct CommandLine(string? Line, bool TooLong, bool NotUtf8);

    private static string Quote(string virtualPath) => "\"" + virtualPath.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
