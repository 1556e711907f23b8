using GoplNet.Time;

namespace GoplNet.Clock;

/// <summary>
/// Settings of a <see cref="ClockServer"/>. Checked by <see cref="ClockServerOptionsValidator"/>
/// (one message per bad field) when a server is built, and when the host starts for a server added with
/// <see cref="ClockServerServiceCollectionExtensions.AddClockServer(Microsoft.Extensions.DependencyInjection.IServiceCollection, string, Microsoft.Extensions.Configuration.IConfiguration)"/>.
/// </summary>
/// <remarks>
/// In configuration every option is a string under its own name: <c>"Port": 8010</c>,
/// <c>"Layout": "15:04:05"</c>, <c>"TimeZone": "Asia/Tokyo"</c> (an IANA id; <c>"TimeZoneId"</c>
/// is the same key), <c>"Interval": "500ms"</c> or <c>"00:00:00.5"</c> (Go's duration syntax or a
/// <see cref="TimeSpan"/>), <c>"Mode": "Sequential"</c>, <c>"MaxClients"</c>, <c>"MaxUnsentBytesPerClient"</c>, <c>"Backlog"</c>.
/// </remarks>
public sealed class ClockServerOptions
{
    /// <summary>
    /// The address to listen on. Default <c>"localhost"</c>, which binds 127.0.0.1 as Go's
    /// <c>net.Listen("tcp", "localhost:8000")</c> does. An empty string or <c>"*"</c> listens on
    /// every interface (IPv6 and IPv4); a literal address or a host name binds that address.
    /// </summary>
    public string Host { get; set; } = "localhost";

    /// <summary>The TCP port. Default 8000; 0 picks a free port (see <see cref="ClockServer.LocalEndPoint"/>).</summary>
    public int Port { get; set; } = 8000;

    /// <summary>
    /// The Go layout of each line (see <see cref="GoTimeLayout"/>). Default <c>"15:04:05\n"</c>, the book's.
    /// A layout that does not end in a newline gets one, since the protocol is line-based.
    /// </summary>
    public string Layout { get; set; } = "15:04:05\n";

    /// <summary>
    /// The time zone the time is shown in. Default <see langword="null"/>: the process's local zone
    /// (<see cref="TimeZoneInfo.Local"/>, which honours the <c>TZ</c> environment variable).
    /// </summary>
    public TimeZoneInfo? TimeZone { get; set; }

    /// <summary>
    /// The time zone as an IANA id such as <c>"Asia/Tokyo"</c> (or <c>"UTC"</c>), the form
    /// configuration files hold. Default <see langword="null"/>. Set this or <see cref="TimeZone"/>,
    /// not both; with neither, the process's local zone is used.
    /// </summary>
    public string? TimeZoneId { get; set; }

    /// <summary>
    /// How often a line is written. Default one second. Lines are written at the wall-clock
    /// boundaries of the interval (whole seconds for one second), counted from the Unix epoch.
    /// </summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Concurrent (the default) or sequential, one client at a time.</summary>
    public ClockServerMode Mode { get; set; } = ClockServerMode.Concurrent;

    /// <summary>
    /// The most clients served at once. Default 65,536. A connection past the cap is closed at once
    /// and logged. The process's open-file limit (<c>ulimit -n</c>) is the other bound.
    /// </summary>
    public int MaxClients { get; set; } = 65_536;

    /// <summary>
    /// The most bytes that may wait, unsent, for one client after the operating system's socket
    /// buffer is full. Default 65,536. A client past it is not keeping up: it is disconnected and
    /// logged, so it can neither stall the others nor grow the server's memory.
    /// </summary>
    public int MaxUnsentBytesPerClient { get; set; } = 64 * 1024;

    /// <summary>
    /// The listen backlog: connections the kernel queues before they are accepted. Default 4,096
    /// (Linux caps it at <c>net.core.somaxconn</c>, 4,096 by default). Connections past it wait in
    /// the client's connect retries.
    /// </summary>
    public int Backlog { get; set; } = 4096;

    /// <summary>Values from configuration that could not be read, reported by <see cref="ClockServerOptionsValidator"/>.</summary>
    internal List<string>? ConfigurationErrors { get; set; }
}
