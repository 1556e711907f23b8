using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using GoplNet.Ftp.Authentication;
using GoplNet.Ftp.Events;
using GoplNet.Ftp.Protocol;
using GoplNet.Ftp.Storage;
using GoplNet.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GoplNet.Ftp;

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
    private readonly IFtpFileSystem _fileSystem;
    private readonly IFtpAuthenticator _authenticator;
    private readonly FtpUserAuthenticator? _ownAuthenticator;
    private readonly List<FtpServerEvents> _eventHandlers;
    private readonly TrustedProxies? _proxies;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<long, FtpSession> _sessions = new();
    private readonly ConcurrentDictionary<IPAddress, int> _sessionsPerAddress = new();
    private FtpSessionContext? _context;
    private FtpTransferLog? _transferLog;
    private readonly AcceptLoop _acceptLoop;
    private readonly List<Task> _running = [];
    private IPEndPoint? _localEndPoint;
    private long _nextSession;
    private int _state;

    /// <summary>Creates an FTP server from DI: options, a clock (for listings and timeouts), a logger, and optionally an authenticator and event handlers.</summary>
    /// <param name="options">The server's settings.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">Where the server logs.</param>
    /// <param name="authenticator">Checks logins; default <see cref="FtpServerOptions.Authenticator"/>, else the built-in <see cref="FtpUserAuthenticator"/> over <see cref="FtpServerOptions.Users"/>.</param>
    /// <param name="eventHandlers">Handlers of the server's events, in addition to <see cref="FtpServerOptions.Events"/>.</param>
    /// <exception cref="DirectoryNotFoundException">The root directory does not exist.</exception>
    /// <exception cref="ArgumentException">An option is out of range, or nobody could ever log in.</exception>
    public FtpServer(
        IOptions<FtpServerOptions> options, TimeProvider timeProvider, ILogger<FtpServer> logger,
        IFtpAuthenticator? authenticator = null, IEnumerable<FtpServerEvents>? eventHandlers = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options.Value;
        if (new FtpServerOptionsValidator().Validate(null, _options) is { Failed: true } invalid)
        {
            throw new ArgumentException("FtpServerOptions: " + string.Join(" ", invalid.Failures), nameof(options));
        }

        _timeProvider = timeProvider;
        _logger = logger;
        _fileSystem = _options.FileSystem ?? new LocalFtpFileSystem(_options.Root, _options.UploadFileMode);
        _authenticator = authenticator ?? _options.Authenticator ?? (_ownAuthenticator = new FtpUserAuthenticator(_options.Users, _options.AllowAnonymous, timeProvider, _options.LoginFailureDelay));
        if (_ownAuthenticator is { AcceptsAnyLogin: false })
        {
            _ownAuthenticator.Dispose();
            throw new ArgumentException(
                "FtpServerOptions lets nobody log in: add Users, set AllowAnonymous = true for read-only anonymous access, or set an Authenticator.", nameof(options));
        }

        _eventHandlers = [.. _options.Events, .. eventHandlers ?? []];
        _acceptLoop = new AcceptLoop(
            new AcceptLoopOptions
            {
                Backlog = 512,
                ThreadName = "GoplNet FTP accept",
                OnAcceptFailed = (error, _) => FtpServerLog.AcceptFailed(_logger, error.ToString()),
                OnHandlerFailed = e => FtpServerLog.SessionFailed(_logger, e),
            },
            OnAccepted,
            timeProvider);
        if (_options.ProxyProtocol)
        {
            _proxies = TrustedProxies.Parse(_options.TrustedProxies);
        }
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
    /// <exception cref="IOException">The transfer log cannot be opened.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new InvalidOperationException("An FTP server can be started once.");
        }

        try
        {
            var address = await ListenAddress.ResolveAsync(_options.Host, cancellationToken).ConfigureAwait(false);
            _transferLog = _options.TransferLogPath is { } path ? new FtpTransferLog(path) : null;
            var certificate = FtpCertificateSource.Create(_options, _timeProvider, _logger);
            var events = new FtpEventDispatcher(_transferLog is null ? _eventHandlers : [.. _eventHandlers, _transferLog], _logger);
            _context = new FtpSessionContext(_options, _fileSystem, _authenticator, events, _timeProvider, _logger, certificate)
            {
                Proxies = _proxies,
                PassiveAddress = await ResolvePassiveAddressAsync(_options.PassiveAddress, cancellationToken).ConfigureAwait(false),
            };
            _acceptLoop.Start(new IPEndPoint(address, _options.Port));
            _localEndPoint = _acceptLoop.LocalEndPoint;
        }
        catch
        {
            _state = 2;
            _transferLog?.Dispose();
            throw;
        }

        if (_logger.IsEnabled(LogLevel.Information))
        {
            var (root, logins) = (_fileSystem.Description, DescribeLogins());
            FtpServerLog.Started(_logger, _localEndPoint, root, logins, _options.TlsCertificate is null && _options.TlsCertificatePath is null ? "off" : _options.ImplicitTls ? "implicit" : _options.RequireTls ? "required" : "on");
        }
    }

    /// <summary>The address PASV announces: an IP address as it is, a host name resolved once (its first IPv4 address).</summary>
    private static async Task<IPAddress?> ResolvePassiveAddressAsync(string? configured, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(configured))
        {
            return null;
        }

        if (IPAddress.TryParse(configured, out var address))
        {
            return address;
        }

        var addresses = await Dns.GetHostAddressesAsync(configured, System.Net.Sockets.AddressFamily.InterNetwork, cancellationToken).ConfigureAwait(false);
        return addresses.Length > 0 ? addresses[0] : throw new SocketException((int)SocketError.HostNotFound);
    }

    /// <summary>Who can log in, for the startup line: the accounts, anonymous access, or an authenticator of the application's.</summary>
    private string DescribeLogins() => _ownAuthenticator switch
    {
        null => _authenticator.GetType().Name,
        { Users.Count: 0 } => "anonymous read-only",
        { AllowAnonymous: true } owned => $"{owned.Users.Count} accounts and anonymous read-only",
        var owned => $"{owned.Users.Count} accounts",
    };

    /// <summary>Stops accepting, lets running transfers finish (up to <see cref="FtpServerOptions.StopTimeout"/>), then closes every session.</summary>
    /// <param name="cancellationToken">Stops waiting for transfers at once.</param>
    /// <returns>A task that completes when every session has ended.</returns>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _state, 2) != 1)
        {
            return;
        }

        await _acceptLoop.StopAsync(cancellationToken).ConfigureAwait(false);
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

        Task[] running;
        lock (_running)
        {
            running = [.. _running];
        }

        await Task.WhenAll(running).ConfigureAwait(false);
        await _acceptLoop.DisposeAsync().ConfigureAwait(false);
        _transferLog?.Dispose();
        _ownAuthenticator?.Dispose();
        FtpServerLog.Stopped(_logger, _localEndPoint!);
    }

    /// <summary>Stops the server (see <see cref="StopAsync"/>).</summary>
    /// <returns>A task that completes when the server has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopping.Dispose();
    }

    /// <summary>
    /// The shared accept loop's handler, on its thread: decides and starts, never waits. Behind a
    /// balancer the PROXY header is read beside the loop, so a slow balancer holds up no one else.
    /// </summary>
    private ValueTask OnAccepted(Socket socket, CancellationToken cancellationToken)
    {
        var started = _proxies is not null ? BeginProxiedAsync(socket, _stopping.Token) : Begin(socket, client: null);
        if (started is not null)
        {
            lock (_running)
            {
                _running.RemoveAll(t => t.IsCompleted);
                _running.Add(started);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Reads a connection's PROXY header (from a trusted balancer only), then begins its session as the client it names.</summary>
    private async Task BeginProxiedAsync(Socket socket, CancellationToken cancellationToken)
    {
        ProxyHeader header;
        try
        {
            header = await ProxyProtocol.ReadAsync(socket, _proxies!, _options.DataConnectionTimeout, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ProxyProtocolException or SocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            FtpServerLog.ProxyHeaderRefused(_logger, socket.RemoteEndPoint, e.Message);
            socket.Dispose();
            return;
        }

        if (Begin(socket, header.IsProxied ? header.Source : null) is { } session)
        {
            await session.ConfigureAwait(false);
        }
    }

    /// <summary>Makes a session for an accepted connection and runs it, or refuses it at the limits; <see langword="null"/> when the connection is already gone.</summary>
    private Task? Begin(Socket socket, IPEndPoint? client)
    {
        var id = Interlocked.Increment(ref _nextSession);
        FtpSession session;
        try
        {
            session = new FtpSession(id, socket, _context!, client);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Gone before its session began.
            socket.Dispose();
            return null;
        }

        if (!Admit(session.Peer))
        {
            using (_logger.BeginScope(new FtpSessionScope(id, session.RemoteEndPoint)))
            {
                FtpServerLog.SessionRefused(_logger, "too many sessions");
                return RefuseAsync(session);
            }
        }

        _sessions[id] = session;
        return RunSessionAsync(session, _stopping.Token);
    }

    private async Task RunSessionAsync(FtpSession session, CancellationToken cancellationToken)
    {
        // Every message of the session, its transfers' included, carries its id and the client's address.
        using var scope = _logger.BeginScope(new FtpSessionScope(session.Id, session.RemoteEndPoint));
        FtpServerMetrics.SessionStarted();
        try
        {
            await session.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A session's failure is its own: the server and the other sessions go on.
            FtpServerLog.SessionFailed(_logger, e);
        }
        finally
        {
            _sessions.TryRemove(session.Id, out _);
            Leave(session.Peer);
            FtpServerMetrics.SessionEnded();
            session.Dispose();
        }
    }

    /// <summary>Counts a new session against the limits; <see langword="false"/> when it is one too many.</summary>
    private bool Admit(IPAddress peer)
    {
        if (_sessions.Count >= _options.MaxSessions)
        {
            return false;
        }

        while (true)
        {
            if (_sessionsPerAddress.TryGetValue(peer, out var count))
            {
                if (count >= _options.MaxSessionsPerAddress)
                {
                    return false;
                }

                if (_sessionsPerAddress.TryUpdate(peer, count + 1, count))
                {
                    return true;
                }
            }
            else if (_sessionsPerAddress.TryAdd(peer, 1))
            {
                return true;
            }
        }
    }

    private void Leave(IPAddress peer)
    {
        while (_sessionsPerAddress.TryGetValue(peer, out var count))
        {
            if (count <= 1 ? _sessionsPerAddress.TryRemove(KeyValuePair.Create(peer, count)) : _sessionsPerAddress.TryUpdate(peer, count - 1, count))
            {
                return;
            }
        }
    }

    /// <summary>A connection past a limit: 421 and closed, without holding up the accept loop.</summary>
    private static async Task RefuseAsync(FtpSession session)
    {
        using (session)
        {
            await session.RefuseConnectionAsync().ConfigureAwait(false);
        }
    }
}
