using System.Net;
using GoplNet.Hosting;
using GoplNet.Time;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GoplNet.Clock;

/// <summary>
/// The book's clock server, second-exact: every client gets the current time line when it
/// connects and then one line at each wall-clock boundary of the interval, formatted once per
/// tick with a Go layout and sent as the same bytes to every client. A client that stops reading
/// is dropped once its unsent data passes a bound; it never stalls the others.
/// </summary>
/// <example>
/// <code>
/// await using var server = new ClockServer(new ClockServerOptions { Port = 0 });
/// await server.StartAsync(CancellationToken.None);
/// Console.WriteLine($"nc {server.LocalEndPoint.Address} {server.LocalEndPoint.Port}");
/// </code>
/// </example>
public sealed partial class ClockServer : IAsyncDisposable, IHostedServer
{
    private const int InlineBroadcastLimit = 512;

    private readonly ClockServerOptions _options;
    private readonly GoTimeLayout _layout;
    private readonly TimeZoneInfo _zone;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly AcceptLoop _acceptLoop;
    private readonly CancellationTokenSource _stopping = new();
    private readonly string _intervalText;
    private int _state;

    /// <summary>Creates a clock server from DI: options, the clock that drives its ticks, and a logger.</summary>
    /// <param name="options">The server's settings.</param>
    /// <param name="timeProvider">The source of the time and of the ticks (a fake one in tests).</param>
    /// <param name="logger">Where the server logs.</param>
    /// <exception cref="ArgumentException">
    /// An option is out of range: the message holds <see cref="ClockServerOptionsValidator"/>'s
    /// messages, one per bad field.
    /// </exception>
    public ClockServer(IOptions<ClockServerOptions> options, TimeProvider timeProvider, ILogger<ClockServer> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _options = Validate(options.Value);
        _timeProvider = timeProvider;
        _logger = logger;
        var layout = _options.Layout.EndsWith('\n') ? _options.Layout : _options.Layout + "\n";
        _layout = GoTimeLayout.Compile(layout);
        _zone = _options.TimeZone
            ?? (_options.TimeZoneId is { } id && ClockServerOptionsValidator.TryFindZone(id, out var zone) ? zone : TimeZoneInfo.Local);
        _tickScratch = new byte[_layout.MaxByteCount];
        _admitScratch = new byte[_layout.MaxByteCount];
        _intervalText = GoDuration.Format(_options.Interval);
        _acceptLoop = new AcceptLoop(
            new AcceptLoopOptions
            {
                Backlog = _options.Backlog,
                ThreadName = "GoplNet clock accept",
                OnAcceptFailed = (error, retry) => ClockServerLog.AcceptFailed(_logger, error.ToString(), (int)retry.TotalMilliseconds),
                OnHandlerFailed = e => ClockServerLog.AdmitFailed(_logger, e),
            },
            Admit,
            timeProvider);
    }

    /// <summary>Creates a clock server on the system clock, without logging.</summary>
    /// <param name="options">The server's settings.</param>
    /// <exception cref="ArgumentException">An option is out of range (see <see cref="ClockServerOptionsValidator"/>).</exception>
    public ClockServer(ClockServerOptions options)
        : this(Options.Create(options ?? throw new ArgumentNullException(nameof(options))), TimeProvider.System, NullLogger<ClockServer>.Instance)
    {
    }

    /// <summary>The address and port the server listens on (the real port when 0 was asked for).</summary>
    /// <exception cref="InvalidOperationException">The server has not been started.</exception>
    public IPEndPoint LocalEndPoint => _acceptLoop.State == AcceptLoopState.Created
        ? throw new InvalidOperationException("The clock server has not been started.")
        : _acceptLoop.LocalEndPoint;

    /// <summary>The number of clients connected now.</summary>
    public int ClientCount
    {
        get
        {
            lock (_gate)
            {
                return _clientCount;
            }
        }
    }

    /// <summary>Binds the listening socket and starts accepting clients and ticking.</summary>
    /// <param name="cancellationToken">Cancels the start (host name resolution).</param>
    /// <exception cref="System.Net.Sockets.SocketException">The address cannot be bound, for example a port in use.</exception>
    /// <exception cref="InvalidOperationException">The server was started before.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new InvalidOperationException("A clock server can be started once.");
        }

        IPAddress address;
        try
        {
            address = await ListenAddress.ResolveAsync(_options.Host, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Nothing to stop: a server that could not bind goes straight to stopped.
            _state = 2;
            throw;
        }

        // Format once now, so everything the line needs (time zone data included) is loaded
        // before clients arrive: at the open-file limit nothing could be loaded any more.
        _ = FormatLine(IndexOf(_timeProvider.GetUtcNow()), _tickScratch);

        // Armed before StartAsync returns, so a test's first FakeTimeProvider.Advance is never early.
        _timer = _timeProvider.CreateTimer(static state => ((ClockServer)state!).OnTick(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        lock (_tickGate)
        {
            Arm(_timeProvider.GetUtcNow());
        }

        try
        {
            _acceptLoop.Start(new IPEndPoint(address, _options.Port));
        }
        catch
        {
            _state = 2;
            await _timer.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        ClockServerLog.Started(_logger, LocalEndPoint, _options.Mode, _intervalText, _zone.Id);
    }

    /// <summary>Stops accepting, closes every client and waits for the server's work to end.</summary>
    /// <param name="cancellationToken">Stops waiting for the accept loop to finish (the clients are closed regardless).</param>
    /// <returns>A task that completes when the server has stopped.</returns>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _state, 2) != 1)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        var acceptLoopStopped = _acceptLoop.StopAsync(cancellationToken);
        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
        }

        ClockClient?[] clients;
        lock (_gate)
        {
            clients = _clients[.._clientCount];
            Array.Clear(_clients);
            _clientCount = 0;
        }

        foreach (var client in clients)
        {
            client!.Close();
        }

        ClockServerMetrics.ClientsGone(clients.Length);
        await acceptLoopStopped.ConfigureAwait(false);
        ClockServerLog.Stopped(_logger, _acceptLoop.LocalEndPoint);
    }

    /// <summary>Stops the server (see <see cref="StopAsync"/>) and releases its resources.</summary>
    /// <returns>A task that completes when the server has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _acceptLoop.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private static ClockServerOptions Validate(ClockServerOptions options)
    {
        var result = new ClockServerOptionsValidator().Validate(Options.DefaultName, options);
        if (result.Failed)
        {
            throw new ArgumentException(string.Join(" ", result.Failures), nameof(options));
        }

        return new ClockServerOptions
        {
            Host = options.Host,
            Port = options.Port,
            Layout = options.Layout,
            TimeZone = options.TimeZone,
            TimeZoneId = options.TimeZoneId,
            Interval = options.Interval,
            Mode = options.Mode,
            MaxClients = options.MaxClients,
            MaxUnsentBytesPerClient = options.MaxUnsentBytesPerClient,
            Backlog = options.Backlog,
        };
    }
}
