using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using GoplNet.Time;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GoplNet.Net;

/// <summary>
/// A TCP client for line-based servers such as the clock server: connects to <c>host:port</c>,
/// reads lines (bounded in length) or copies the raw stream, writes and half-closes (shuts down
/// its sending side and keeps reading, as the book's netcat3 must). <see cref="WatchAsync"/>
/// keeps a connection up by itself, reconnecting with capped exponential backoff and jitter, and
/// reports every state change so a user interface can show it.
/// </summary>
/// <example>
/// <code>
/// await using var client = new LineClient("localhost:8000");
/// await client.ConnectAsync(cancellationToken);
/// await foreach (var line in client.ReadLinesAsync(cancellationToken))
/// {
///     Console.WriteLine(line);
/// }
/// </code>
/// </example>
public sealed class LineClient : IAsyncDisposable
{
    private readonly LineClientOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private Socket? _socket;
    private LineReader? _reader;

    /// <summary>Creates a client for <paramref name="address"/>; nothing connects until <see cref="ConnectAsync"/> or <see cref="WatchAsync"/>.</summary>
    /// <param name="address">The server.</param>
    /// <param name="options">Settings; the defaults of <see cref="LineClientOptions"/> when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock for timeouts and reconnection waits; the system clock when <see langword="null"/>.</param>
    /// <param name="logger">Where to log; nowhere when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="address"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public LineClient(HostPort address, LineClientOptions? options = null, TimeProvider? timeProvider = null, ILogger<LineClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        _options = options ?? new LineClientOptions();
        if (_options.ConnectTimeout <= TimeSpan.Zero || _options.MaxLineLength < 1 || _options.ReconnectDelay <= TimeSpan.Zero
            || _options.MaxReconnectDelay < _options.ReconnectDelay || _options.ReconnectJitter is < 0 or > 1)
        {
            throw new ArgumentException("LineClientOptions has a value out of range.", nameof(options));
        }

        Address = address;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger<LineClient>.Instance;
    }

    /// <summary>Creates a client for <paramref name="address"/> given as <c>host:port</c>.</summary>
    /// <param name="address">The server, such as <c>localhost:8000</c> or <c>[::1]:8000</c>.</param>
    /// <param name="options">Settings; the defaults when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock; the system clock when <see langword="null"/>.</param>
    /// <param name="logger">Where to log; nowhere when <see langword="null"/>.</param>
    /// <exception cref="FormatException"><paramref name="address"/> is not <c>host:port</c>.</exception>
    public LineClient(string address, LineClientOptions? options = null, TimeProvider? timeProvider = null, ILogger<LineClient>? logger = null)
        : this(HostPort.Parse(address ?? throw new ArgumentNullException(nameof(address))), options, timeProvider, logger)
    {
    }

    /// <summary>The server this client talks to.</summary>
    public HostPort Address { get; }

    /// <summary>Connects; every address the host name resolves to is tried in turn.</summary>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    /// <exception cref="SocketException">The server refused, or cannot be reached, or the name does not resolve.</exception>
    /// <exception cref="TimeoutException">No connection within <see cref="LineClientOptions.ConnectTimeout"/>.</exception>
    /// <exception cref="InvalidOperationException">The client is connected already.</exception>
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        if (_socket is not null)
        {
            throw new InvalidOperationException("The client is connected already.");
        }

        _socket = await OpenAsync(cancellationToken).ConfigureAwait(false);
        _reader = new LineReader(_socket, _options.MaxLineLength, _options.Encoding);
    }

    /// <summary>The lines the server sends, until it closes the connection.</summary>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>The lines, without their line ends.</returns>
    /// <exception cref="InvalidDataException">A line is longer than <see cref="LineClientOptions.MaxLineLength"/>.</exception>
    /// <exception cref="InvalidOperationException">The client is not connected.</exception>
    public async IAsyncEnumerable<string> ReadLinesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var reader = _reader ?? throw NotConnected();
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            yield return line;
        }
    }

    /// <summary>Copies everything the server sends, byte for byte, to <paramref name="destination"/> until it closes the connection.</summary>
    /// <param name="destination">Where the bytes go (flushed after each read, so output appears as it arrives).</param>
    /// <param name="cancellationToken">Stops copying.</param>
    /// <returns>A task that completes when the server has closed its side.</returns>
    /// <exception cref="InvalidOperationException">The client is not connected.</exception>
    public async Task CopyToAsync(Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var socket = _socket ?? throw NotConnected();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false)) > 0)
        {
            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Copies everything the server sends to <paramref name="destination"/> as text (in <see cref="LineClientOptions.Encoding"/>) until it closes the connection.</summary>
    /// <param name="destination">Where the text goes (flushed after each read).</param>
    /// <param name="cancellationToken">Stops copying.</param>
    /// <returns>A task that completes when the server has closed its side.</returns>
    /// <exception cref="InvalidOperationException">The client is not connected.</exception>
    public async Task CopyToAsync(TextWriter destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var socket = _socket ?? throw NotConnected();
        var decoder = _options.Encoding.GetDecoder();
        var bytes = new byte[16 * 1024];
        var chars = new char[_options.Encoding.GetMaxCharCount(bytes.Length)];
        int read;
        while ((read = await socket.ReceiveAsync(bytes, SocketFlags.None, cancellationToken).ConfigureAwait(false)) > 0)
        {
            // The decoder keeps a character split across two reads for the next one.
            var count = decoder.GetChars(bytes, 0, read, chars, 0, flush: false);
            await destination.WriteAsync(chars.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
            await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        var rest = decoder.GetChars([], 0, 0, chars, 0, flush: true);
        await destination.WriteAsync(chars.AsMemory(0, rest), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Copies <paramref name="source"/> to the server until its end, then shuts down the sending side (the reading side stays open).</summary>
    /// <param name="source">What to send, byte for byte.</param>
    /// <param name="cancellationToken">Stops copying.</param>
    /// <returns>A task that completes when everything was sent and the sending side is shut down.</returns>
    /// <exception cref="InvalidOperationException">The client is not connected.</exception>
    public async Task CopyFromAsync(Stream source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var socket = _socket ?? throw NotConnected();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            await socket.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        }

        ShutdownSend();
    }

    /// <summary>Sends <paramref name="data"/>.</summary>
    /// <param name="data">The bytes.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when the bytes are handed to the operating system.</returns>
    /// <exception cref="InvalidOperationException">The client is not connected.</exception>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var socket = _socket ?? throw NotConnected();
        while (!data.IsEmpty)
        {
            var sent = await socket.SendAsync(data, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            data = data[sent..];
        }
    }

    /// <summary>Sends <paramref name="line"/> and a newline, in <see cref="LineClientOptions.Encoding"/>.</summary>
    /// <param name="line">The text.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when the line is handed to the operating system.</returns>
    public ValueTask SendLineAsync(string line, CancellationToken cancellationToken) =>
        SendAsync(_options.Encoding.GetBytes(line + "\n"), cancellationToken);

    /// <summary>Shuts down the sending side (the server reads the end of its input); reading goes on.</summary>
    /// <exception cref="InvalidOperationException">The client is not connected.</exception>
    public void ShutdownSend() => (_socket ?? throw NotConnected()).Shutdown(SocketShutdown.Send);

    /// <summary>
    /// Keeps a connection to the server, reading its lines, for as long as the enumeration runs:
    /// a refused, failed or closed connection is reported and retried after a wait that doubles
    /// on each failure (from <see cref="LineClientOptions.ReconnectDelay"/> up to
    /// <see cref="LineClientOptions.MaxReconnectDelay"/>, with jitter) and starts over once a
    /// connection has delivered a line (a server that accepts and hangs up at once keeps backing
    /// off). Independent of <see cref="ConnectAsync"/>.
    /// </summary>
    /// <param name="cancellationToken">Ends the watch (the enumeration then completes without an exception).</param>
    /// <returns>State changes and lines, in order.</returns>
    public async IAsyncEnumerable<LineClientEvent> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var delay = _options.ReconnectDelay;
        var address = Address.ToString();
        while (!cancellationToken.IsCancellationRequested)
        {
            yield return Event(LineClientEventKind.Connecting);
            var (socket, reason) = await TryOpenAsync(cancellationToken).ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
            {
                socket?.Dispose();
                yield break;
            }

            if (socket is not null)
            {
                using (socket)
                {
                    yield return Event(LineClientEventKind.Connected);
                    var reader = new LineReader(socket, _options.MaxLineLength, _options.Encoding);
                    while (true)
                    {
                        var (line, failure) = await TryReadAsync(reader, cancellationToken).ConfigureAwait(false);
                        if (cancellationToken.IsCancellationRequested)
                        {
                            yield break;
                        }

                        if (line is null)
                        {
                            reason = failure;
                            break;
                        }

                        // Only a connection that works resets the backoff, so that a server which
                        // accepts and closes straight away is not redialled at the shortest wait forever.
                        delay = _options.ReconnectDelay;
                        yield return Event(LineClientEventKind.Line) with { Line = line };
                    }
                }
            }

            reason ??= "closed by the server";
            LineClientLog.Disconnected(_logger, address, reason);
            yield return Event(LineClientEventKind.Disconnected) with { Reason = reason };

            var wait = WithJitter(delay);
            LineClientLog.Retrying(_logger, address, (long)wait.TotalMilliseconds);
            yield return Event(LineClientEventKind.Retrying) with { RetryDelay = wait };
            try
            {
                await Task.Delay(wait, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxReconnectDelay.Ticks));
        }
    }

    /// <summary>Closes the connection.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        _socket?.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Words a connection failure the way people read it: "connection refused", "timed out", "no such host".</summary>
    /// <param name="e">The exception from connecting or reading.</param>
    /// <returns>A short, lower-case reason.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="e"/> is <see langword="null"/>.</exception>
    public static string DescribeFailure(Exception e) => e switch
    {
        null => throw new ArgumentNullException(nameof(e)),
        SocketException { SocketErrorCode: SocketError.ConnectionRefused } => "connection refused",
        SocketException { SocketErrorCode: SocketError.ConnectionReset } => "connection reset by peer",
        SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData } => "no such host",
        SocketException { SocketErrorCode: SocketError.HostUnreachable } => "no route to host",
        SocketException { SocketErrorCode: SocketError.NetworkUnreachable } => "network is unreachable",
        SocketException s => s.Message,
        TimeoutException => "timed out",
        InvalidDataException d => d.Message,
        _ => e.Message,
    };

    private static InvalidOperationException NotConnected() => new("The client is not connected; call ConnectAsync first.");

    private void LogConnected(Socket socket)
    {
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            LineClientLog.Connected(_logger, Address, socket.RemoteEndPoint);
        }
    }

    private LineClientEvent Event(LineClientEventKind kind) => new(kind, _timeProvider.GetUtcNow());

    private TimeSpan WithJitter(TimeSpan delay)
    {
        var spread = _options.ReconnectJitter * ((Random.Shared.NextDouble() * 2) - 1);
        return TimeSpan.FromTicks((long)(delay.Ticks * (1 + spread)));
    }

    private async Task<(Socket? Socket, string? Reason)> TryOpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await OpenAsync(cancellationToken).ConfigureAwait(false), null);
        }
        catch (Exception e) when (e is SocketException or TimeoutException || (e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            return (null, DescribeFailure(e));
        }
    }

    private static async Task<(string? Line, string? Failure)> TryReadAsync(LineReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false), null);
        }
        catch (Exception e) when (e is SocketException or InvalidDataException or OperationCanceledException)
        {
            return (null, DescribeFailure(e));
        }
    }

    private async Task<Socket> OpenAsync(CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var addresses = IPAddress.TryParse(Address.Host, out var literal)
                ? [literal]
                : await Dns.GetHostAddressesAsync(Address.Host, linked.Token).ConfigureAwait(false);
            SocketException? last = null;
            foreach (var address in addresses)
            {
                var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(new IPEndPoint(address, Address.Port), linked.Token).ConfigureAwait(false);
                    LogConnected(socket);
                    return socket;
                }
                catch (SocketException e)
                {
                    socket.Dispose();
                    last = e;
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            }

            throw last ?? new SocketException((int)SocketError.HostNotFound);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Connecting to {Address} timed out after {GoDuration.Format(_options.ConnectTimeout)}.");
        }
    }
}
