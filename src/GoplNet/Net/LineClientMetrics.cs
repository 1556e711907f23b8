using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace GoplNet.Net;

/// <summary>
/// The line client's instruments on the meter <c>GoplNet.Net</c> (shared by every client in the
/// process; <c>dotnet-counters monitor -n gopl --counters GoplNet.Net</c> shows them), each tagged
/// with the server's <c>server.address</c> and <c>server.port</c>:
/// <c>goplnet.net.client.connects</c>, <c>goplnet.net.client.connect.failures</c> (tag <c>reason</c>:
/// refused, unreachable, host_not_found, timed_out, ...), <c>goplnet.net.client.reconnects</c>
/// (waits scheduled by a watch), <c>goplnet.net.client.lines.received</c> and
/// <c>goplnet.net.client.bytes</c> (tag <c>direction</c>: receive, transmit).
/// </summary>
internal static class LineClientMetrics
{
    public const string MeterName = "GoplNet.Net";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Connects =
        Meter.CreateCounter<long>("goplnet.net.client.connects", "{connection}", "Connections established.");

    private static readonly Counter<long> ConnectFailures =
        Meter.CreateCounter<long>("goplnet.net.client.connect.failures", "{attempt}", "Connection attempts that failed, by reason.");

    private static readonly Counter<long> Reconnects =
        Meter.CreateCounter<long>("goplnet.net.client.reconnects", "{attempt}", "Reconnections scheduled by a watch after a failure or a close.");

    private static readonly Counter<long> LinesReceived =
        Meter.CreateCounter<long>("goplnet.net.client.lines.received", "{line}", "Lines read from servers.");

    private static readonly Counter<long> Bytes =
        Meter.CreateCounter<long>("goplnet.net.client.bytes", "By", "Bytes received from and sent to servers, by direction.");

    /// <summary>The tags of every measurement for <paramref name="address"/>.</summary>
    public static TagList Tags(HostPort address) => new()
    {
        { "server.address", address.Host },
        { "server.port", address.Port.ToString(CultureInfo.InvariantCulture) },
    };

    public static void Connected(in TagList server) => Connects.Add(1, server);

    public static void ConnectFailed(in TagList server, LineClientFailure reason)
    {
        var tags = server;
        tags.Add("reason", ReasonTag(reason));
        ConnectFailures.Add(1, tags);
    }

    public static void Reconnecting(in TagList server) => Reconnects.Add(1, server);

    public static void LineReceived(in TagList server) => LinesReceived.Add(1, server);

    public static void Received(in TagList server, int bytes)
    {
        if (bytes > 0 && Bytes.Enabled)
        {
            var tags = server;
            tags.Add("direction", "receive");
            Bytes.Add(bytes, tags);
        }
    }

    public static void Sent(in TagList server, int bytes)
    {
        if (bytes > 0 && Bytes.Enabled)
        {
            var tags = server;
            tags.Add("direction", "transmit");
            Bytes.Add(bytes, tags);
        }
    }

    private static string ReasonTag(LineClientFailure reason) => reason switch
    {
        LineClientFailure.Refused => "refused",
        LineClientFailure.Unreachable => "unreachable",
        LineClientFailure.HostNotFound => "host_not_found",
        LineClientFailure.TimedOut => "timed_out",
        LineClientFailure.Reset => "reset",
        LineClientFailure.Closed => "closed",
        LineClientFailure.LineTooLong => "line_too_long",
        _ => "other",
    };
}
