using System.Net;
using Microsoft.Extensions.Logging;

namespace GoplNet.Ftp;

/// <summary>The FTP server's log messages; event ids 1200-1399 are the FTP server's. Passwords are never logged. A session's messages are written inside its scope (<see cref="FtpSessionScope"/>: its id and the client's address).</summary>
internal static partial class FtpServerLog
{
    /// <summary>A client-chosen text as it may go into a log: control characters become '?', so a user name cannot forge log lines or terminal escapes.</summary>
    public static string Printable(string text) =>
        text.Any(char.IsControl) ? string.Concat(text.Select(c => char.IsControl(c) ? '?' : c)) : text;

    [LoggerMessage(EventId = 1200, EventName = "FtpServerStarted", Level = LogLevel.Information, Message = "FTP server listening on {EndPoint}, root {Root}, logins: {Logins}, TLS {Tls}")]
    public static partial void Started(ILogger logger, EndPoint endPoint, string root, string logins, string tls);

    [LoggerMessage(EventId = 1201, EventName = "FtpServerStopped", Level = LogLevel.Information, Message = "FTP server on {EndPoint} stopped")]
    public static partial void Stopped(ILogger logger, EndPoint endPoint);

    [LoggerMessage(EventId = 1202, EventName = "FtpSessionStarted", Level = LogLevel.Debug, Message = "Session started")]
    public static partial void SessionStarted(ILogger logger);

    [LoggerMessage(EventId = 1203, EventName = "FtpSessionEnded", Level = LogLevel.Debug, Message = "Session ended")]
    public static partial void SessionEnded(ILogger logger);

    [LoggerMessage(EventId = 1204, EventName = "FtpLogin", Level = LogLevel.Information, Message = "{User} logged in from {ClientAddress} ({Access})")]
    public static partial void LoggedIn(ILogger logger, string user, IPAddress clientAddress, GoplNet.Ftp.Authentication.FtpPermissions access);

    [LoggerMessage(EventId = 1205, EventName = "FtpLoginFailed", Level = LogLevel.Warning, Message = "FTP login failed for user {User} from {ClientAddress}")]
    public static partial void LoginFailed(ILogger logger, string user, IPAddress clientAddress);

    [LoggerMessage(EventId = 1206, EventName = "FtpTransfer", Level = LogLevel.Information, Message = "{Direction} {Path}, {Bytes} bytes in {Milliseconds} ms ({Outcome})")]
    public static partial void Transfer(ILogger logger, string direction, string path, long bytes, long milliseconds, string outcome);

    [LoggerMessage(EventId = 1207, EventName = "FtpSessionFailed", Level = LogLevel.Warning, Message = "Session failed")]
    public static partial void SessionFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1208, EventName = "FtpAcceptFailed", Level = LogLevel.Error, Message = "Accepting a connection failed ({SocketError}); retrying")]
    public static partial void AcceptFailed(ILogger logger, string socketError);

    [LoggerMessage(EventId = 1209, EventName = "FtpSessionRefused", Level = LogLevel.Warning, Message = "Session closed: {Reason}")]
    public static partial void SessionRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 1210, EventName = "FtpTlsEstablished", Level = LogLevel.Debug, Message = "Control connection protected ({Protocol})")]
    public static partial void TlsEstablished(ILogger logger, System.Security.Authentication.SslProtocols protocol);

    [LoggerMessage(EventId = 1211, EventName = "FtpTlsFailed", Level = LogLevel.Warning, Message = "TLS handshake on the {Connection} connection failed: {Reason}")]
    public static partial void TlsFailed(ILogger logger, string connection, string reason);

    [LoggerMessage(EventId = 1212, EventName = "FtpTransferFailed", Level = LogLevel.Debug, Message = "Transfer of {Path} ended early ({Outcome})")]
    public static partial void TransferFailed(ILogger logger, string path, string outcome, Exception exception);

    [LoggerMessage(EventId = 1213, EventName = "FtpEventHandlerFailed", Level = LogLevel.Error, Message = "Event handler {Handler} failed on {Event}")]
    public static partial void EventHandlerFailed(ILogger logger, string handler, string @event, Exception exception);

    [LoggerMessage(EventId = 1214, EventName = "FtpAuthenticatorFailed", Level = LogLevel.Error, Message = "The authenticator failed; the login is refused")]
    public static partial void AuthenticatorFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1216, EventName = "FtpProxyHeaderRefused", Level = LogLevel.Warning, Message = "Connection from {RemoteEndPoint} closed: {Reason}")]
    public static partial void ProxyHeaderRefused(ILogger logger, EndPoint? remoteEndPoint, string reason);

    [LoggerMessage(EventId = 1217, EventName = "FtpCertificateReloaded", Level = LogLevel.Information, Message = "TLS certificate {Path} read again after it changed")]
    public static partial void CertificateReloaded(ILogger logger, string path);

    [LoggerMessage(EventId = 1218, EventName = "FtpCertificateReloadFailed", Level = LogLevel.Warning, Message = "The changed TLS certificate cannot be used ({Reason}); the previous one stays")]
    public static partial void CertificateReloadFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 1215, EventName = "FtpUploadRefused", Level = LogLevel.Information, Message = "Upload of {Path} refused by a handler: {Reason}")]
    public static partial void UploadRefused(ILogger logger, string path, string reason);
}

/// <summary>The logging scope of one FTP session: its id and the client's address (the real client behind a balancer).</summary>
internal sealed class FtpSessionScope(long sessionId, EndPoint remoteEndPoint) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public int Count => 2;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("SessionId", sessionId),
        1 => new("RemoteEndPoint", remoteEndPoint.ToString()),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        yield return this[0];
        yield return this[1];
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"session {sessionId}, {remoteEndPoint}";
}
