using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GoplNet.Net;

/// <summary>
/// Creates <see cref="LineClient"/>s with the container's options, clock and logging. A client
/// is bound to one server, so the container hands out this factory rather than a client.
/// </summary>
public sealed class LineClientFactory
{
    private readonly IOptions<LineClientOptions> _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILoggerFactory? _loggerFactory;

    /// <summary>Creates the factory.</summary>
    /// <param name="options">The options every client gets.</param>
    /// <param name="timeProvider">The clock every client uses.</param>
    /// <param name="loggerFactory">Where clients log; nowhere when <see langword="null"/>.</param>
    public LineClientFactory(IOptions<LineClientOptions> options, TimeProvider timeProvider, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = options;
        _timeProvider = timeProvider;
        _loggerFactory = loggerFactory;
    }

    /// <summary>A new, unconnected client for <paramref name="address"/>.</summary>
    /// <param name="address">The server as <c>host:port</c>.</param>
    /// <returns>The client.</returns>
    /// <exception cref="FormatException"><paramref name="address"/> is not <c>host:port</c>; the message says which part is wrong.</exception>
    public LineClient Create(string address) => Create(HostPort.Parse(address));

    /// <summary>A new, unconnected client for <paramref name="address"/>.</summary>
    /// <param name="address">The server.</param>
    /// <returns>The client.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="address"/> is <see langword="null"/>.</exception>
    public LineClient Create(HostPort address) =>
        new(address, _options.Value, _timeProvider, _loggerFactory?.CreateLogger<LineClient>());
}
