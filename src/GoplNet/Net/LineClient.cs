using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using GoplNet.Time;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GoplNet.Net;

/// <summary>
/// A TCP client for line-based servers such as the clock server: connects to <c>host:port</c>,
/// reads lines (bounded in length) or copies the raw stream, writes and half-closes (shuts down
/// its sending side and keeps reading, as the book's netcat3 must). <see cref="WatchAsync"/>
/// keeps a connection up by itself, reconnecting with capped exponential backoff and jitter, and
/// reports every state change so a user interface can show it. Network trouble surfaces as a
/// <see cref="LineClientException"/> whose <see cref="LineClientException.Reason"/> says what went wrong.
/// </summary>
/// <example>
/// <code>
/// await using var client = new LineClient("localhost:8000");
/// try
/// {
///     await client.ConnectAsync(cancellationToken);
///     await foreach (var line in client.ReadLinesAsync(cancellationToken))
///     {
///         Console.WriteLine(line);
///     }
/// }
/// catch (LineClientException e)
/// {
///     Console.Error.WriteLine($"{e.Address}: {e.Message}");
/// }
/// </code>
/// </example>
public sealed partial class LineClient : IAsyncDisposable
{
    private static long _nextConnectionId;

    private readonly LineClientOptions _options;
    private readonly Encoding _encoding;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly TagList _tags;
    private Socket? _socket;
    private long _connectionId;
    private LineReader? _reader;

    /// <summary>Creates a client for <paramref name="address"/>; nothing connects until <see cref="ConnectAsync"/> or <see cref="WatchAsync"/>.</summary>
    /// <param name="address">The server.</param>
    /// <param name="options">Settings; the defaults of <see cref="LineClientOptions"/> when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock for timeouts and reconnection waits; the system clock when <see langword="null"/>.</param>
    /// <param name="logger">Where to log; nowhere when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="address"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A setting is out of range; the message names every bad setting.</exception>
    public LineClient(HostPort address, LineClientOptions? options = null, TimeProvider? timeProvider = null, ILogger<LineClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        _options = options ?? new LineClientOptions();
        if (LineClientOptionsValidator.Failures(_options) is { Count: > 0 } failures)
        {
            throw new ArgumentException(string.Join(" ", failures), nameof(options));
        }

        Address = address;
        _encoding = LineClientEncoding.Find(_options.EncodingName)!;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger<LineClient>.Instance;
        _tags = LineClientMetrics.Tags(address);
    }

    /// <summary>Creates a client for <paramref name="address"/> given as <c>host:port</c>.</summary>
    /// <param name="address">The server, such as <c>localhost:8000</c> or <c>[::1]:8000</c>.</param>
    /// <param name="options">Settings; the defaults when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock; the system clock when <see langword="null"/>.</param>
    /// <param name="logger">Where to log; nowhere when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="address"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException"><paramref name="address"/> is not <c>host:port</c>; the message says which part is wrong.</exception>
    /// <exception cref="ArgumentException">A setting is out of range; the message names every bad setting.</exception>
    public LineClient(string address, LineClientOptions? options = null, TimeProvider? timeProvider = null, ILogger<LineClient>? logger = null)
        : this(HostPort.Parse(address), options, timeProvider, logger)
    {
    }

    /// <summary>The server this client talks to.</summary>
    public HostPort Address { get; }

    /// <summary>Connects; every address the host name resolves to is tried in turn.</summary>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    /// <returns>A task that completes when the connection is up.</returns>
    /// <exception cref="LineClientException">
    /// The server refused, cannot be reached, its name does not resolve, or no connection came within
    /// <see cref="LineClientOptions.ConnectTimeout"/> (<see cref="LineClientException.Reason"/> says which).
    /// </exception>
    /// <exception cref="InvalidOperationException">The client is connected already.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        if (_socket is not null)
        {
            throw new InvalidOperationException("The client is connected already.");
        }

        var id = Interlocked.Increment(ref _nextConnectionId);
        try
        {
            _socket = await OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (LineClientException e)
        {
            LogConnectFailed(id, e);
            throw;
        }

        _connectionId = id;
        LogConnected(id, _socket);
        _reader = new LineReader(_socket, _options.MaxLineLength, _encoding, _tags);
    }

    /// <summary>The lines the server sends, until it closes the connection.</summary>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>The lines, without their line ends.</returns>
    /// <exception cref="LineClientException">
    /// The connection failed, or a line is longer than <see cref="LineClientOptions.MaxLineLength"/>
    /// (<see cref="LineClientFailure.LineTooLong"/>).
    /// </exception>
    /// <exception cref="InvalidOperationException">The client is not connected.</exception>
    public async IAsyncEnumerable<string> ReadLinesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var reader = _reader ?? throw NotConnected();
        while (await ReadLineAsync(reader, cancellationToken).ConfigureAwait(false) is { } line)
        {
            yield return line;
        }
    }

    /// <summary>Copies everything the server sends, byte for byte, to <paramref name="destination"/> until it closes the connection.</summary>
    /// <param name="destination">Where the bytes go (flushed after each read, so output appears as it arrives).</param>
    /// <param name="cancellationToken">Stops copying.</param>
    /// <returns>A task that completes when the server has closed its side.</returns>
    /// <exception cref="LineClientException">The connection failed (the destination's own failures pass through as they are).</exception>
    /// <exception cref="InvalidOperationException">The client is not connected.</exception>
    public async Task CopyToAsync(Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var socket = _socket ?? throw NotConnected();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await ReceiveAsync(socket, buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Copies everything the server sends to <paramref name="destination"/> as text (in <see cref="LineClientOptions.EncodingName"/>) until it closes the connection.</summary>
    /// <param name="destination">Where the text goes (flushed after each read).</param>
    /// <param name="cancellationToken">Stops copying.</param>
    /// <returns>A task that completes when the server has closed its side.</returns>
    /// <exception cref="LineClientException">The connection failed (the destination's own failures pass through as they are).</exception>
    /// <exception cref="InvalidOperationException">The client is not connected.</exception>
    public async Task CopyToAsync(TextWriter destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var socket = _socket ?? throw NotConnected();
        var decoder = _encoding.GetDecoder();
        var bytes = new byte[16 * 1024];
        var chars = new char[_encoding.GetMaxCharCount(bytes.Length)];
        int read;
        while ((read = await ReceiveAsync(socket, bytes, cancellationToken).ConfigureAwait(false)) > 0)
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
    /// <exception cref="LineClientException">The connection failed (the source's own failures pass through as they are).</exception>
    /// <exception cref="InvalidOperationException">The client is not connected.</exception>
    public async Task CopyFromAsync(Stream source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            await SendAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
        }

        ShutdownSend();
    }

    /// <summary>Sends <paramref name="data"/>.</summary>
    /// <param name="data">The bytes.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when the bytes are handed to the operating system.</returns>
    /// <exception cref="LineClientException">The connection failed.</exception>
    /// <exception cref="InvalidOperationException">The client is not connected.</exception>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var socket = _socket ?? throw NotConnected();
        try
        {
            while (!data.IsEmpty)
            {
                var sent = await socket.SendAsync(data, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                LineClientMetrics.Sent(_tags, sent);
                data = data[sent..];
            }
        }
        catch (SocketException e)
        {
            throw LineClientException.FromSocket(e, Address);
        }
    }

    /// <summary>Sends <paramref name="line"/> and a newline, in <see cref="LineClientOptions.EncodingName"/>.</summary>
    /// <param name="line">The text.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when the line is handed to the operating system.</returns>
    /// <exception cref="LineClientException">The connection failed.</exception>
    /// <exception cref="InvalidOperationException">The client is not connected.</exception>
    public ValueTask SendLineAsync(string line, CancellationToken cancellationToken) =>
        SendAsync(_encoding.GetBytes(line + "\n"), cancellationToken);

    /// <summary>Shuts down the sending side (the server reads the end of its input); reading goes on.</summary>
    /// <exception cref="LineClientException">The connection failed.</exception>
    /// <exception cref="InvalidOperationException">The client is not connected.</exception>
    public void ShutdownSend()
    {
        var socket = _socket ?? throw NotConnected();
        try
        {
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException e)
        {
            throw LineClientException.FromSocket(e, Address);
        }
    }

    /// <summary>Closes the connection.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _socket, null) is { } socket)
        {
            socket.Dispose();
            LogDisconnected(_connectionId, "closed by the client");
        }

        return ValueTask.CompletedTask;
    }

    private static InvalidOperationException NotConnected() => new("The client is not connected; call ConnectAsync first.");

    private async ValueTask<int> ReceiveAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            LineClientMetrics.Received(_tags, read);
            return read;
        }
        catch (SocketException e)
        {
            throw LineClientException.FromSocket(e, Address);
        }
    }

    private async ValueTask<string?> ReadLineAsync(LineReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw LineClientException.FromSocket(e, Address);
        }
        catch (InvalidDataException e)
        {
            throw new LineClientException(LineClientFailure.LineTooLong, Address, e.Message, e);
        }
    }

    /// <summary>Resolves the name and connects to the first of its addresses that answers, within the connect timeout.</summary>
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
                    LineClientMetrics.Connected(_tags);
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
        catch (SocketException e)
        {
            var error = LineClientException.FromSocket(e, Address);
            LineClientMetrics.ConnectFailed(_tags, error.Reason);
            throw error;
        }
        catch (OperationCanceledException e) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            LineClientMetrics.ConnectFailed(_tags, LineClientFailure.TimedOut);
            throw new LineClientException(
                LineClientFailure.TimedOut, Address, innerException: new TimeoutException($"Connecting to {Address} timed out after {GoDuration.Format(_options.ConnectTimeout)}.", e));
        }
    }
}
