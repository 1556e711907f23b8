using System.Globalization;
using System.Net;
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
    private readonly FtpServerOptions _options;
    private readonly FtpFileSystem _fileSystem;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly FtpCommandReader _reader;
    private readonly SemaphoreSlim _replyLock = new(1, 1);
    private readonly IPAddress _peer;
    private readonly IPAddress _local;
    private string _cwd = "/";
    private string? _pendingUser;
    private string? _user;
    private bool _readOnly;
    private bool _binary;
    private long _restartOffset;
    private string? _renameFrom;
    private FtpDataChannel? _data;
    private Task _transfer = Task.CompletedTask;
    private CancellationTokenSource? _transferCancellation;

    public FtpSession(long id, Socket control, FtpServerOptions options, FtpFileSystem fileSystem, TimeProvider timeProvider, ILogger logger)
    {
        Id = id;
        _control = control;
        _options = options;
        _fileSystem = fileSystem;
        _timeProvider = timeProvider;
        _logger = logger;
        control.NoDelay = true;

        // Clients send ABOR as urgent data: read it in line with the rest.
        control.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.OutOfBandInline, true);
        _reader = new FtpCommandReader(control, options.MaxCommandLength);
        _peer = ((IPEndPoint)control.RemoteEndPoint!).Address;
        _local = ((IPEndPoint)control.LocalEndPoint!).Address;
    }

    public long Id { get; }

    private bool LoggedIn => _user is not null;

    public Task WhenTransfersDoneAsync() => _transfer;

    public void Close()
    {
        try
        {
            _transferCancellation?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The transfer has ended already.
        }

        _data?.Dispose();
        _control.Dispose();
    }

    public void Dispose()
    {
        Close();
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
                string? line;
                try
                {
                    line = await _reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (InvalidDataException)
                {
                    await ReplyAsync(500, "Command line too long.").ConfigureAwait(false);
                    return;
                }

                if (line is null)
                {
                    return;
                }

                var (verb, argument) = Split(line);
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

                    await WaitForTransferAsync().ConfigureAwait(false);
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
            // The client went away or the server is stopping.
        }
        finally
        {
            _data?.Dispose();
            FtpServerLog.SessionEnded(_logger, Id);
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

        _transferCancellation?.Cancel();
        await WaitForTransferAsync().ConfigureAwait(false);
        await ReplyAsync(226, "ABOR successful.").ConfigureAwait(false);
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

            builder.Append(lines[i]).Append("\r\n");
        }

        var bytes = Encoding.UTF8.GetBytes(builder.ToString());
        await _replyLock.WaitAsync().ConfigureAwait(false);
        try
        {
            await _control.SendAsync(bytes, SocketFlags.None).ConfigureAwait(false);
        }
        finally
        {
            _replyLock.Release();
        }
    }

    private static string Quote(string virtualPath) => "\"" + virtualPath.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
