using System.Net;
using System.Net.Sockets;
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
    private const int DescriptorReserveSize = 32;
    private static readonly TimeSpan MaxAcceptRetryDelay = TimeSpan.FromSeconds(1);

    private readonly ClockServerOptions _options;
    private readonly GoTimeLayout _layout;
    private readonly TimeZoneInfo _zone;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly DescriptorReserve _descriptorReserve = new(DescriptorReserveSize);
    private readonly byte[] _scratch;
    private readonly string _intervalText;
    private ClockClient?[] _clients = new ClockClient?[16];
    private int _clientCount;
    private long _lastBroadcastIndex = long.MinValue;
    private Socket? _listener;
    private IPEndPoint? _localEndPoint;
    private ITimer? _timer;
    private Task _acceptLoop = Task.CompletedTask;
    private int _state;

    /// <summary>Creates a clock server from DI: options, the clock that drives its ticks, and a logger.</summary>
    /// <param name="options">The server's settings.</param>
    /// <param name="timeProvider">The source of the time and of the ticks (a fake one in tests).</param>
    /// <param name="logger">Where the server logs.</param>
    /// <exception cref="ArgumentException">An option is out of range (see <see cref="ClockServerOptions"/>).</exception>
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
        _zone = _options.TimeZone ?? TimeZoneInfo.Local;
        _scratch = new byte[_layout.MaxByteCount];
        _intervalText = GoDuration.Format(_options.Interval);
    }

    /// <summary>Creates a clock server on the system clock, without logging.</summary>
    /// <param name="options">The server's settings.</param>
    /// <exception cref="ArgumentException">An option is out of range (see <see cref="ClockServerOptions"/>).</exception>
    public ClockServer(ClockServerOptions options)
        : this(Options.Create(options ?? throw new ArgumentNullException(nameof(options))), TimeProvider.System, NullLogger<ClockServer>.Instance)
    {
    }

    /// <summary>The address and port the server listens on (the real port when 0 was asked for).</summary>
    /// <exception cref="InvalidOperationException">The server has not been started.</exception>
    public IPEndPoint LocalEndPoint => _localEndPoint ?? throw new InvalidOperationException("The clock server has not been started.");

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
    /// <exception cref="SocketException">The address cannot be bound, for example a port in use.</exception>
    /// <exception cref="InvalidOperationException">The server was started before.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new InvalidOperationException("A clock server can be started once.");
        }

        try
        {
            var address = await ListenAddress.ResolveAsync(_options.Host, cancellationToken).ConfigureAwait(false);
            _listener = ListenAddress.Listen(new IPEndPoint(address, _options.Port), _options.Backlog);
            _localEndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        }
        catch
        {
            // Nothing to stop: a server that could not bind goes straight to stopped.
            _state = 2;
            throw;
        }

        // Format once now, so everything the line needs (time zone data included) is loaded
        // before clients arrive: at the open-file limit nothing could be loaded any more.
        _ = FormatLine(IndexOf(_timeProvider.GetUtcNow()));

        // Armed before StartAsync returns, so a test's first FakeTimeProvider.Advance is never early.
        _timer = _timeProvider.CreateTimer(static state => ((ClockServer)state!).OnTick(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        lock (_gate)
        {
            Arm(_timeProvider.GetUtcNow());
        }

        _acceptLoop = AcceptLoopAsync(_stopping.Token);
        ClockServerLog.Started(_logger, _localEndPoint, _options.Mode, _intervalText, _zone.Id);
    }

    /// <summary>Stops accepting, closes every client and waits for the server's work to end.</summary>
    /// <param name="cancellationToken">Stops waiting for the accept loop to finish (the clients are closed regardless).</param>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _state, 2) != 1)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Dispose();
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

        try
        {
            await _acceptLoop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The accept loop ends by cancellation.
        }

        ClockServerLog.Stopped(_logger, _localEndPoint!);
    }

    /// <summary>Stops the server (see <see cref="StopAsync"/>) and releases its resources.</summary>
    /// <returns>A task that completes when the server has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopping.Dispose();
        _listener?.Dispose();
        _descriptorReserve.Dispose();
    }

    private static ClockServerOptions Validate(ClockServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options.Host, "options.Host");
        if (string.IsNullOrEmpty(options.Layout))
        {
            throw new ArgumentException("The clock layout must not be empty.", nameof(options));
        }

        if (options.Port is < 0 or > 65_535)
        {
            throw new ArgumentException($"The port must be from 0 to 65535 (was {options.Port}).", nameof(options));
        }

        if (options.Interval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"The interval must be positive (was {options.Interval}).", nameof(options));
        }

        if (options.MaxClients < 1 || options.MaxUnsentBytesPerClient < 1 || options.Backlog < 1)
        {
            throw new ArgumentException("MaxClients, MaxUnsentBytesPerClient and Backlog must be positive.", nameof(options));
        }

        if (!Enum.IsDefined(options.Mode))
        {
            throw new ArgumentException($"Unknown mode {options.Mode}.", nameof(options));
        }

        return new ClockServerOptions
        {
            Host = options.Host,
            Port = options.Port,
            Layout = options.Layout,
            TimeZone = options.TimeZone,
            Interval = options.Interval,
            Mode = options.Mode,
            MaxClients = options.MaxClients,
            MaxUnsentBytesPerClient = options.MaxUnsentBytesPerClient,
            Backlog = options.Backlog,
        };
    }
}
