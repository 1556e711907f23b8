using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GoplNet;

/// <summary>
/// A concurrent FTP server (RFC 959 with the extensions real clients use: FEAT/OPTS, EPSV/EPRT,
/// SIZE/MDTM/MLST/MLSD, REST STREAM, UTF-8 names) serving one directory. Every control connection
/// is an independent session; transfers run beside the control connection, so ABOR and STAT work
/// while data flows.
/// </summary>
/// <example>
/// <code>
/// var options = new FtpServerOptions { Root = "/srv/ftp", Port = 0 };
/// options.Users.Add(FtpUser.WithPassword("alice", "secret"));
/// await using var server = new FtpServer(options);
/// await server.StartAsync(CancellationToken.None);
/// </code>
/// </example>
public sealed class FtpServer : IAsyncDisposable, IHostedServer
{
    private readonly FtpServerOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly FtpFileSystem _fileSystem;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<long, FtpSession> _sessions = new();
    private Socket? _listener;
    private IPEndPoint? _localEndPoint;
    private Task _acceptLoop = Task.CompletedTask;
    private long _nextSession;
    private int _state;

    /// <summary>Creates an FTP server from DI: options, a clock (for listings and timeouts) and a logger.</summary>
    /// <param name="options">The server's settings.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">Where the server logs.</param>
    /// <exception cref="DirectoryNotFoundException">The root directory does not exist.</exception>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public FtpServer(IOptions<FtpServerOptions> options, TimeProvider timeProvider, ILogger<FtpServer> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options.Value;
        if (_options.Port is < 0 or > 65_535 || _options.PassivePortMin is < 0 or > 65_535 || _options.PassivePortMax is < 0 or > 65_535
            || _options.PassivePortMin > _options.PassivePortMax || _options.MaxCommandLength < 16)
        {
            throw new ArgumentException("FtpServerOptions has a port, port range or limit out of range.", nameof(options));
        }

        _timeProvider = timeProvider;
        _logger = logger;
        _fileSystem = new FtpFileSystem(_options.Root);
    }

    /// <summary>Creates an FTP server on the system clock, without logging.</summary>
    /// <param name="options">The server's settings.</param>
    public FtpServer(FtpServerOptions options)
        : this(Options.Create(options ?? throw new ArgumentNullException(nameof(options))), TimeProvider.System, NullLogger<FtpServer>.Instance)
    {
    }

    /// <summary>The control address and port (the real port when 0 was asked for).</summary>
    /// <exception cref="InvalidOperationException">The server has not been started.</exception>
    public IPEndPoint LocalEndPoint => _localEndPoint ?? throw new InvalidOperationException("The FTP server has not been started.");

    /// <summary>The number of sessions open now.</summary>
    public int SessionCount => _sessions.Count;

    /// <summary>Binds the control port and starts accepting sessions.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="SocketException">The address cannot be bound, for example a port in use.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new InvalidOperationException("An FTP server can be started once.");
        }

        try
        {
            var address = await ListenAddress.ResolveAsync(_options.Host, cancellationToken).ConfigureAwait(false);
            _listener = ListenAddress.Listen(new IPEndPoint(address, _options.Port), 512);
            _localEndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        }
        catch
        {
            _state = 2;
            throw;
        }

        _acceptLoop = AcceptLoopAsync(_stopping.Token);
        FtpServerLog.Started(_logger, _localEndPoint, _fileSystem.Root);
    }

    /// <summary>Stops accepting, lets running transfers finish (up to <see cref="FtpServerOptions.StopTimeout"/>), then closes every session.</summary>
    /// <param name="cancellationToken">Stops waiting for transfers at once.</param>
    /// <returns>A task that completes when every session has ended.</returns>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _state, 2) != 1)
        {
            return;
        }

        _listener?.Dispose();
        using var grace = new CancellationTokenSource(_options.StopTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(grace.Token, cancellationToken);
        try
        {
            await Task.WhenAll(_sessions.Values.Select(s => s.WhenTransfersDoneAsync())).WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The grace period is over: running transfers are cut off.
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var session in _sessions.Values)
        {
            session.Close();
        }

        await _acceptLoop.ConfigureAwait(false);
        FtpServerLog.Stopped(_logger, _localEndPoint!);
    }

    /// <summary>Stops the server (see <see cref="StopAsync"/>).</summary>
    /// <returns>A task that completes when the server has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync(CancellationToken cancellationToken)
    {
        var sessions = new List<Task>();
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener!.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException
                || (e is SocketException && (cancellationToken.IsCancellationRequested || _state == 2)))
            {
                break;
            }
            catch (SocketException e)
            {
                FtpServerLog.AcceptFailed(_logger, e.SocketErrorCode.ToString());
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100), _timeProvider, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                continue;
            }

            var id = Interlocked.Increment(ref _nextSession);
            var session = new FtpSession(id, socket, _options, _fileSystem, _timeProvider, _logger);
            _sessions[id] = session;
            sessions.RemoveAll(t => t.IsCompleted);
            sessions.Add(RunSessionAsync(session, cancellationToken));
        }

        await Task.WhenAll(sessions).ConfigureAwait(false);
    }

    private async Task RunSessionAsync(FtpSession session, CancellationToken cancellationToken)
    {
        try
        {
            await session.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A session's failure is its own: the server and the other sessions go on.
            FtpServerLog.SessionFailed(_logger, session.Id, e);
        }
        finally
        {
            _sessions.TryRemove(session.Id, out _);
            session.Dispose();
        }
    }
}
