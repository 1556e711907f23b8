using System.Net;
using GoplNet.Ftp.Authentication;
using GoplNet.Ftp.Storage;

namespace GoplNet.Ftp.Events;

/// <summary>What every event says about its session.</summary>
public abstract class FtpSessionEvent
{
    private protected FtpSessionEvent(long sessionId, IPEndPoint remoteEndPoint, DateTimeOffset time) =>
        (SessionId, RemoteEndPoint, Time) = (sessionId, remoteEndPoint, time);

    /// <summary>The session's number, as the server's log messages show it.</summary>
    public long SessionId { get; }

    /// <summary>The client's address and port (the real client behind a PROXY-protocol balancer).</summary>
    public IPEndPoint RemoteEndPoint { get; }

    /// <summary>When it happened, by the server's <see cref="TimeProvider"/>.</summary>
    public DateTimeOffset Time { get; }
}

/// <summary>An event of a logged-in session: its account and the storage it sees.</summary>
public abstract class FtpAccountEvent : FtpSessionEvent
{
    private protected FtpAccountEvent(long sessionId, IPEndPoint remoteEndPoint, DateTimeOffset time, FtpAccount account, IFtpFileSystem fileSystem)
        : base(sessionId, remoteEndPoint, time) => (Account, FileSystem) = (account, fileSystem);

    /// <summary>The account the session works as.</summary>
    public FtpAccount Account { get; }

    /// <summary>The storage the account sees (its home as <c>/</c>); event paths are paths in it.</summary>
    public IFtpFileSystem FileSystem { get; }
}

/// <summary>A successful login.</summary>
public sealed class FtpLoginSucceededEvent : FtpAccountEvent
{
    internal FtpLoginSucceededEvent(long sessionId, IPEndPoint remoteEndPoint, DateTimeOffset time, FtpAccount account, IFtpFileSystem fileSystem)
        : base(sessionId, remoteEndPoint, time, account, fileSystem)
    {
    }
}

/// <summary>A refused login.</summary>
public sealed class FtpLoginFailedEvent : FtpSessionEvent
{
    internal FtpLoginFailedEvent(long sessionId, IPEndPoint remoteEndPoint, DateTimeOffset time, string userName, FtpAuthenticationOutcome outcome)
        : base(sessionId, remoteEndPoint, time) => (UserName, Outcome) = (userName, outcome);

    /// <summary>The name the client tried.</summary>
    public string UserName { get; }

    /// <summary>Why: <see cref="FtpAuthenticationOutcome.Failed"/> or <see cref="FtpAuthenticationOutcome.TooManyAttempts"/>.</summary>
    public FtpAuthenticationOutcome Outcome { get; }
}

/// <summary>A session that ended.</summary>
public sealed class FtpSessionEndedEvent : FtpSessionEvent
{
    internal FtpSessionEndedEvent(long sessionId, IPEndPoint remoteEndPoint, DateTimeOffset time, FtpAccount? account, TimeSpan duration)
        : base(sessionId, remoteEndPoint, time) => (Account, Duration) = (account, duration);

    /// <summary>The account it was logged in as at the end, or <see langword="null"/>.</summary>
    public FtpAccount? Account { get; }

    /// <summary>How long the session lasted.</summary>
    public TimeSpan Duration { get; }
}

/// <summary>A file or directory that was deleted, created or removed.</summary>
public sealed class FtpPathEvent : FtpAccountEvent
{
    internal FtpPathEvent(long sessionId, IPEndPoint remoteEndPoint, DateTimeOffset time, FtpAccount account, IFtpFileSystem fileSystem, string path)
        : base(sessionId, remoteEndPoint, time, account, fileSystem) => Path = path;

    /// <summary>The virtual path, in the account's storage.</summary>
    public string Path { get; }
}

/// <summary>A rename.</summary>
public sealed class FtpRenamedEvent : FtpAccountEvent
{
    internal FtpRenamedEvent(long sessionId, IPEndPoint remoteEndPoint, DateTimeOffset time, FtpAccount account, IFtpFileSystem fileSystem, string from, string to)
        : base(sessionId, remoteEndPoint, time, account, fileSystem) => (From, To) = (from, to);

    /// <summary>The old virtual path.</summary>
    public string From { get; }

    /// <summary>The new virtual path.</summary>
    public string To { get; }
}

/// <summary>An upload with all its bytes, not yet committed.</summary>
public sealed class FtpUploadCompletingEvent : FtpAccountEvent
{
    private readonly FtpUpload _upload;

    internal FtpUploadCompletingEvent(long sessionId, IPEndPoint remoteEndPoint, DateTimeOffset time, FtpAccount account, IFtpFileSystem fileSystem, string path, long bytes, FtpUpload upload)
        : base(sessionId, remoteEndPoint, time, account, fileSystem) => (Path, Bytes, _upload) = (path, bytes, upload);

    /// <summary>The virtual path the upload will have.</summary>
    public string Path { get; }

    /// <summary>The bytes received.</summary>
    public long Bytes { get; }

    /// <summary>Reads what arrived (the whole file, for an append or a resume).</summary>
    /// <param name="cancellationToken">Ends the wait.</param>
    /// <returns>A stream the caller disposes.</returns>
    /// <exception cref="NotSupportedException">The storage cannot read an upload before it is committed.</exception>
    public ValueTask<Stream> OpenReadAsync(CancellationToken cancellationToken) => _upload.OpenReadAsync(cancellationToken);
}

/// <summary>A download or an upload that ended.</summary>
public sealed class FtpTransferCompletedEvent : FtpAccountEvent
{
    internal FtpTransferCompletedEvent(
        long sessionId, IPEndPoint remoteEndPoint, DateTimeOffset time, FtpAccount account, IFtpFileSystem fileSystem,
        FtpTransferDirection direction, string path, long bytes, TimeSpan duration, bool binary, string? failure)
        : base(sessionId, remoteEndPoint, time, account, fileSystem) =>
        (Direction, Path, Bytes, Duration, IsBinary, Failure) = (direction, path, bytes, duration, binary, failure);

    /// <summary>Download (RETR) or upload (STOR, APPE, STOU).</summary>
    public FtpTransferDirection Direction { get; }

    /// <summary>The virtual path, in the account's storage.</summary>
    public string Path { get; }

    /// <summary>The bytes that moved over the data connection.</summary>
    public long Bytes { get; }

    /// <summary>From the data connection's opening to the transfer's end.</summary>
    public TimeSpan Duration { get; }

    /// <summary>Whether the transfer was in binary type (TYPE I) rather than ASCII.</summary>
    public bool IsBinary { get; }

    /// <summary>Whether every byte moved (and, for an upload, the file was committed).</summary>
    public bool IsComplete => Failure is null;

    /// <summary>Why the transfer ended early (<c>aborted</c>, <c>stalled</c>, <c>no data connection</c>, <c>disk full</c>, <c>too large</c>, <c>refused</c>, <c>failed</c>), or <see langword="null"/> when complete.</summary>
    public string? Failure { get; }
}

/// <summary>The direction of a transfer.</summary>
public enum FtpTransferDirection
{
    /// <summary>RETR: from the server to the client.</summary>
    Download,

    /// <summary>STOR, APPE, STOU: from the client to the server.</summary>
    Upload,
}

/// <summary>What <see cref="FtpServerEvents.OnUploadCompletingAsync"/> decided.</summary>
public sealed class FtpUploadVerdict
{
    private FtpUploadVerdict(string? refusal) => Refusal = refusal;

    /// <summary>Commit the upload.</summary>
    public static FtpUploadVerdict Accept { get; } = new(null);

    /// <summary>Why the upload is refused, or <see langword="null"/> when accepted.</summary>
    public string? Refusal { get; }

    /// <summary>Discard the upload; the client gets 553 with the message.</summary>
    /// <param name="message">One line for the client, such as <c>Infected file refused.</c>.</param>
    /// <returns>The verdict.</returns>
    public static FtpUploadVerdict Refuse(string message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        return new(message.ReplaceLineEndings(" "));
    }
}
