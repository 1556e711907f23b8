using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using GoplNet.Ftp.Data;
using GoplNet.Ftp.Events;
using GoplNet.Ftp.Storage;
using Microsoft.Extensions.Logging;

namespace GoplNet.Ftp.Protocol;

/// <summary>
/// One control connection: reads commands, checks each against the command table
/// (<see cref="Commands"/>) and runs its handler, with at most one transfer running beside the
/// command loop. While data flows, ABOR, STAT, NOOP and QUIT are answered at once; other commands
/// wait for the transfer, which keeps pipelined commands and their replies in order.
/// </summary>
/// <remarks>
/// The handlers live in partial files by concern: login and TLS (<c>Login</c>), server and
/// session information (<c>Status</c>), directories, files, data connections, transfers and
/// listings. This file holds the command loop, the dispatcher and the replies.
/// </remarks>
internal sealed partial class FtpSession : IDisposable
{
    private const string PermissionDenied = "Permission denied.";

    private readonly Socket _control;
    private readonly FtpSessionContext _context;
    private readonly FtpServerOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly FtpCommandReader _reader;
    private readonly SemaphoreSlim _replyLock = new(1, 1);
    private readonly IPAddress _peer;
    private readonly IPAddress _local;
    private readonly ITimer _idleTimer;
    private readonly Queue<CommandLine> _queued = new();
    private Stream _stream;
    private int _refusedBeforeLogin;
    private int _closed;
    private bool _quit;
    private Task<CommandLine>? _pendingRead;
    private CancellationToken _stopping;

    /// <param name="id">The session's number.</param>
    /// <param name="control">The accepted control connection (after a PROXY-protocol header, if any).</param>
    /// <param name="context">What every session shares.</param>
    /// <param name="client">The real client behind a balancer, or <see langword="null"/> for the connection's own peer.</param>
    public FtpSession(long id, Socket control, FtpSessionContext context, IPEndPoint? client = null)
    {
        Id = id;
        _control = control;
        _context = context;
        _options = context.Options;
        _timeProvider = context.TimeProvider;
        _logger = context.Logger;
        control.NoDelay = true;

        // Clients send ABOR as urgent data: read it in line with the rest.
        control.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.OutOfBandInline, true);
        _stream = new NetworkStream(control, ownsSocket: false);
        _reader = new FtpCommandReader(_stream, _options.MaxCommandLength);
        RemoteEndPoint = client ?? (IPEndPoint)control.RemoteEndPoint!;
        _peer = RemoteEndPoint.Address;
        _local = ((IPEndPoint)control.LocalEndPoint!).Address;
        _idleTimer = _timeProvider.CreateTimer(static s => ((FtpSession)s!).OnIdle(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public long Id { get; }

    /// <summary>The client's address and port: what logs, limits, events and the data-connection checks see.</summary>
    public IPEndPoint RemoteEndPoint { get; }

    /// <summary>The client's address (IPv4-mapped addresses as IPv4), which per-address limits count.</summary>
    public IPAddress Peer => FtpDataChannel.Unmapped(_peer);

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
        _stopping = cancellationToken;
        var started = _timeProvider.GetTimestamp();
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            FtpServerLog.SessionStarted(_logger);
        }

        try
        {
            if (_options.ImplicitTls && !await StartImplicitTlsAsync().ConfigureAwait(false))
            {
                return;
            }

            await ReplyAsync(FtpReplyCode.ServiceReady, _options.Banner).ConfigureAwait(false);
            while (!_quit)
            {
                RestartIdleTimer();
                var read = await NextCommandAsync(cancellationToken).ConfigureAwait(false);
                if (read.TooLong)
                {
                    await ReplyAsync(FtpReplyCode.UnknownCommand, "Command line too long.").ConfigureAwait(false);
                    break;
                }

                if (read.NotUtf8)
                {
                    await RefuseAsync(FtpReplyCode.BadArguments, "Invalid UTF-8 in command.").ConfigureAwait(false);
                    continue;
                }

                if (read.Line is null)
                {
                    // The client has closed the control connection: a transfer still waiting for its
                    // data connection is abandoned; one whose data flows may finish (an upload sent in
                    // full is kept), bounded by the stall timeout.
                    if (!_dataConnected)
                    {
                        CancelTransfer();
                    }

                    break;
                }

                var (verb, argument) = Split(read.Line);
                await DispatchAsync(verb, argument).ConfigureAwait(false);
            }

            await WaitForTransferAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away, the session timed out, or the server is stopping.
        }
        finally
        {
            _idleTimer.Dispose();
            _data?.Dispose();
            FtpServerLog.SessionEnded(_logger);
        }

        var account = _account;
        EndLogin();
        await RaiseAsync(new FtpSessionEndedEvent(Id, RemoteEndPoint, _timeProvider.GetUtcNow(), account, _timeProvider.GetElapsedTime(started)), static (h, e, t) => h.OnSessionEndedAsync(e, t)).ConfigureAwait(false);
    }

    /// <summary>Hands an event to the application's handlers (each isolated; a failure is logged).</summary>
    private ValueTask RaiseAsync<TEvent>(TEvent e, Func<FtpServerEvents, TEvent, CancellationToken, ValueTask> raise)
        where TEvent : FtpSessionEvent =>
        _context.Events.HasHandlers ? _context.Events.RaiseAsync(e, raise, _stopping) : ValueTask.CompletedTask;

    /// <summary>Answers a connection past a session limit with 421 and closes it.</summary>
    public Task RefuseConnectionAsync() => CloseWith421Async("Too many connections; try again later.");

    /// <summary>
    /// Checks a command against its table entry (known, allowed before login, implemented,
    /// argument rule, write permission), then runs its handler.
    /// </summary>
    private async Task DispatchAsync(string verb, string argument)
    {
        if (Find(verb) is not { } command)
        {
            await RefuseAsync(FtpReplyCode.UnknownCommand, "Unknown command.").ConfigureAwait(false);
            return;
        }

        if (!LoggedIn && !command.AllowedBeforeLogin)
        {
            await RefuseAsync(FtpReplyCode.NotLoggedIn, "Please log in with USER and PASS.").ConfigureAwait(false);
            return;
        }

        if (command.Handler is null)
        {
            await RefuseAsync(FtpReplyCode.NotImplemented, $"{command.Verb} is not implemented.").ConfigureAwait(false);
            return;
        }

        if (command.ArgumentIsWrong(argument))
        {
            await RefuseAsync(FtpReplyCode.BadArguments, $"Syntax: {command.Syntax}").ConfigureAwait(false);
            return;
        }

        if ((command.Permission & ~_permissions) != 0)
        {
            await ReplyAsync(FtpReplyCode.FileUnavailable, PermissionDenied).ConfigureAwait(false);
            return;
        }

        // A rename is the RNFR right before its RNTO: any other command forgets it.
        if (command.Verb != "RNTO")
        {
            _renameFrom = null;
        }

        await command.Handler(this, argument).ConfigureAwait(false);
    }

    /// <summary>
    /// The next command line to run. While a transfer runs the control connection is still read:
    /// an urgent command (ABOR) is returned at once, so are the others the table answers during a
    /// transfer (STAT, NOOP, QUIT) when no earlier line is waiting (so replies stay in order);
    /// other lines wait until the transfer has ended, and end a transfer still waiting for its
    /// data connection.
    /// </summary>
    private async Task<CommandLine> NextCommandAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            // One look at the transfer per turn: it may end on another thread at any moment, and a
            // line queued behind it must never wait for a further line from the client.
            var transfer = _transfer;
            var ended = transfer.IsCompleted;
            if (ended && _queued.Count > 0)
            {
                return _queued.Dequeue();
            }

            _pendingRead ??= ReadCommandAsync(cancellationToken);
            if (!ended)
            {
                await Task.WhenAny(transfer, _pendingRead).ConfigureAwait(false);
                if (!_pendingRead.IsCompleted)
                {
                    continue;
                }
            }

            var read = await _pendingRead.ConfigureAwait(false);
            _pendingRead = null;
            if (read is { Line: null, TooLong: false, NotUtf8: false })
            {
                return read;
            }

            if (_transfer.IsCompleted)
            {
                if (_queued.Count == 0)
                {
                    return read;
                }

                _queued.Enqueue(read);
                continue;
            }

            var command = read.Line is null ? null : Find(Split(read.Line).Verb);
            if (command is { Urgent: true } || (command is { AnsweredDuringTransfer: true } && _queued.Count == 0))
            {
                return read;
            }

            // A client that sends another command instead of opening the data connection has given
            // the transfer up: it ends now (425) rather than when the data connection times out.
            if (!_dataConnected)
            {
                CancelTransfer();
            }

            _queued.Enqueue(read);
        }
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
    /// is answered 421 and ends.
    /// </summary>
    private async Task RefuseAsync(FtpReplyCode code, string text)
    {
        if (!LoggedIn && ++_refusedBeforeLogin > _options.MaxRefusedCommandsBeforeLogin)
        {
            FtpServerLog.SessionRefused(_logger, "too many refused commands before login");
            await ReplyAsync(FtpReplyCode.ServiceClosing, "Too many commands refused; closing control connection.").ConfigureAwait(false);
            _quit = true;
            return;
        }

        await ReplyAsync(code, text).ConfigureAwait(false);
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
        FtpServerLog.SessionRefused(_logger, "idle timeout");
        await CloseWith421Async("Timeout; closing control connection.").ConfigureAwait(false);
    }

    /// <summary>Replies 421 and closes; a client that reads nothing cannot hold the session open, the close follows within a second.</summary>
    private async Task CloseWith421Async(string text)
    {
        try
        {
            await Task.WhenAny(ReplyAsync(FtpReplyCode.ServiceClosing, text), Task.Delay(TimeSpan.FromSeconds(1))).ConfigureAwait(false);
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

    private Task ReplyAsync(FtpReplyCode code, string text) => ReplyAsync(code, [text]);

    /// <summary>Sends a reply; several lines make a multi-line reply ("code-first", lines, "code last").</summary>
    private async Task ReplyAsync(FtpReplyCode code, string[] lines)
    {
        var builder = new StringBuilder();
        var number = ((int)code).ToString(CultureInfo.InvariantCulture);
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

    /// <summary>The virtual path an argument names from the current directory; <see langword="null"/> when it is not a path.</summary>
    private string? Target(string argument) => FtpPath.Resolve(_cwd, argument);

    private static string Quote(string virtualPath) => "\"" + virtualPath.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>A line read from the control connection, or why there is none (<see cref="Line"/> is <see langword="null"/> at the end of the stream).</summary>
    private readonly record struct CommandLine(string? Line, bool TooLong, bool NotUtf8);
}
