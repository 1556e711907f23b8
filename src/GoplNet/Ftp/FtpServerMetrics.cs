using System.Diagnostics;
using System.Diagnostics.Metrics;
using GoplNet.Ftp.Protocol;

namespace GoplNet.Ftp;

/// <summary>
/// The FTP server's instruments on the meter <c>GoplNet.Ftp</c> (shared by every server in the
/// process; <c>dotnet-counters monitor -n gopl --counters GoplNet.Ftp</c> shows them):
/// <c>goplnet.ftp.sessions.active</c>, <c>goplnet.ftp.logins</c> (tag <c>result</c>: success,
/// failure, refused), <c>goplnet.ftp.transfers</c> and <c>goplnet.ftp.transfer.duration</c> (tags
/// <c>direction</c>: upload, download, listing, and <c>result</c>: complete, aborted, stalled, ...),
/// <c>goplnet.ftp.transfer.bytes</c> (tag <c>direction</c>).
/// </summary>
internal static class FtpServerMetrics
{
    public const string MeterName = "GoplNet.Ftp";

    private static readonly Meter Meter = new(MeterName);

    private static readonly UpDownCounter<long> ActiveSessions =
        Meter.CreateUpDownCounter<long>("goplnet.ftp.sessions.active", "{session}", "Control connections open now.");

    private static readonly Counter<long> Logins =
        Meter.CreateCounter<long>("goplnet.ftp.logins", "{login}", "Login attempts, by result.");

    private static readonly Counter<long> Transfers =
        Meter.CreateCounter<long>("goplnet.ftp.transfers", "{transfer}", "Transfers ended, by direction and result.");

    private static readonly Counter<long> TransferBytes =
        Meter.CreateCounter<long>("goplnet.ftp.transfer.bytes", "By", "Bytes moved over data connections, by direction.");

    private static readonly Histogram<double> TransferDuration =
        Meter.CreateHistogram<double>("goplnet.ftp.transfer.duration", "s", "How long transfers took, from the 150 reply to their end.");

    public static void SessionStarted() => ActiveSessions.Add(1);

    public static void SessionEnded() => ActiveSessions.Add(-1);

    /// <summary>A login attempt: <c>success</c>, <c>failure</c> or <c>refused</c> (not checked: too many waiting).</summary>
    public static void Login(string result) => Logins.Add(1, new KeyValuePair<string, object?>("result", result));

    public static void TransferEnded(FtpTransferKind direction, string result, long bytes, TimeSpan elapsed)
    {
        var name = direction switch { FtpTransferKind.Upload => "upload", FtpTransferKind.Download => "download", _ => "listing" };
        var tags = new TagList { { "direction", name }, { "result", result.Replace(' ', '_') } };
        Transfers.Add(1, tags);
        TransferDuration.Record(elapsed.TotalSeconds, tags);
        TransferBytes.Add(bytes, new KeyValuePair<string, object?>("direction", name));
    }
}
