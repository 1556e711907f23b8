using System.Globalization;
using System.Net;
using System.Text;
using GoplNet.Ftp.Events;
using GoplNet.Time;

namespace GoplNet.Ftp;

/// <summary>
/// The transfer log in the xferlog format that wu-ftpd defined and vsftpd and proftpd write, one
/// line per transfer, so existing log analysers read it:
/// <c>Wed Nov 25 08:01:02 2026 1 127.0.0.1 1234 /docs/a.txt b _ o r alice ftp 0 * c</c>
/// (local time, seconds, client, bytes, path, a/b type, no action, o/i direction, a/r access,
/// user, service, no RFC 931 authentication, no authenticated id, c/i completion). Whitespace and
/// control characters in a path are written as underscores, so a name cannot add fields or lines.
/// It is one subscriber of the server's transfer events.
/// </summary>
internal sealed class FtpTransferLog : FtpServerEvents, IDisposable
{
    private static readonly GoTimeLayout Ctime = GoTimeLayout.Compile("Mon Jan _2 15:04:05 2006");
    private readonly StreamWriter _writer;
    private readonly Lock _lock = new();

    public FtpTransferLog(string path)
    {
        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        _writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
    }

    public override ValueTask OnTransferCompletedAsync(FtpTransferCompletedEvent e, CancellationToken cancellationToken)
    {
        Write(new FtpTransferRecord(
            e.Time, e.Duration, e.RemoteEndPoint.Address, e.Bytes, e.Path, e.IsBinary,
            e.Direction == FtpTransferDirection.Upload, e.Account.IsAnonymous, e.Account.Name, e.IsComplete));
        return ValueTask.CompletedTask;
    }

    /// <summary>Appends one transfer.</summary>
    public void Write(FtpTransferRecord record)
    {
        var line = new StringBuilder(160);
        line.Append(Ctime.Format(record.Time, TimeZoneInfo.Local)).Append(' ');
        line.Append(CultureInfo.InvariantCulture, $"{Math.Max(1, (long)Math.Round(record.Duration.TotalSeconds))} {record.Client} {record.Bytes} ");
        foreach (var c in record.Path)
        {
            line.Append(char.IsWhiteSpace(c) || char.IsControl(c) ? '_' : c);
        }

        line.Append(record.Binary ? " b _ " : " a _ ");
        line.Append(record.Incoming ? 'i' : 'o').Append(record.Anonymous ? " a " : " r ");
        foreach (var c in record.User)
        {
            line.Append(char.IsWhiteSpace(c) || char.IsControl(c) ? '_' : c);
        }

        line.Append(" ftp 0 * ").Append(record.Complete ? 'c' : 'i');
        lock (_lock)
        {
            _writer.WriteLine(line);
        }
    }

    public void Dispose() => _writer.Dispose();
}

/// <summary>One line of the transfer log.</summary>
internal readonly record struct FtpTransferRecord(
    DateTimeOffset Time, TimeSpan Duration, IPAddress Client, long Bytes, string Path, bool Binary, bool Incoming, bool Anonymous, string User, bool Complete);
