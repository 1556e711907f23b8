using System.Net;
using Microsoft.Extensions.Logging;

namespace GoplNet.Ftp;

/// <summary>The FTP server's log messages; event ids 1200-1399 are the FTP server's. Passwords are never logged.</summary>
internal static partial class FtpServerLog
{
    /// <summary>A client-chosen text as it may go into a log: control characters become '?', so a user name cannot forge log lines or terminal escapes.</summary>
    public static string Printable(string text) =>
        text.Any(char.IsControl) ? string.Concat(text.Select(c => char.IsControl(c) ? '?' : c)) : text;

    [LoggerMessage(EventId = 1200, EventName = "FtpServerStarted", Level = LogLevel.Information, Message = "FTP server listening on {EndPoint}, root {Root}, logins: {Logins}, TLS {Tls}")]
    public static partial void Started(ILogger logger, EndPoint endPoint, string root, string logins, string tls);

    [LoggerMessage(EventId = 1201, EventName = "FtpServerStopped", Level = LogLevel.Information, Message = "FTP server on {EndPoint} stopped")]
    public static partial void Stopped(ILogger logger, EndPoint endPoint);

    [LoggerMessage(EventId = 1202, EventName = "FtpSessionStarted", Level = LogLevel.Debug, Message = "Session {Session} from {RemoteEndPoint}")]
    public static partial void SessionStarted(ILogger logger, long session, EndPoint? remoteEndPoint);

    [LoggerMessage(EventId = 1203, EventName = "FtpSessionEnded", Level = LogLevel.Debug, Message = "Session {Session} ended")]
    public static partial void SessionEnded(ILogger logger, long session);

    [LoggerMessage(EventId = 1204, EventName = "FtpLogin", Level = LogLevel.Information, Message = "Session {Session}: {User} logged in from {ClientAddress} ({Access})")]
    public static partial void LoggedIn(ILogger logger, long session, string user, IPAddress clientAddress, GoplNet.Ftp.Authentication.FtpPermissions access);

    [LoggerMessage(EventId = 1205, EventName = "FtpLoginFailed", Level = LogLevel.Warning, Message = "FTP login failed for user {User} from {ClientAddress}")]
    public static partial void LoginFailed(ILogger logger, string user, IPAddress clientAddress);

    [LoggerMessage(EventId = 1206, EventName = "FtpTransfer", Level = LogLevel.Information, Message = "Session {Session}: {Direction} {Path}, {Bytes} bytes in {Milliseconds} ms ({Outcome})")]
    public static partial void Transfer(ILogger logger, long session, string direction, string path, long bytes, long milliseconds, string outcome);

    [LoggerMessage(EventId = 1207, EventName = "FtpSessionFailed", Level = LogLevel.Warning, Message = "Session {Session} failed")]
    public static partial void SessionFailed(ILogger logger, long session, Exception exception);

    [LoggerMessage(EventId = 1208, EventName = "FtpAcceptFailed", Level = LogLevel.Error, Message = "Accepting a connection failed ({SocketError}); retrying")]
    public static partial void AcceptFailed(ILogger logger, string socketError);

    [LoggerMessage(EventId = 1209, EventName = "FtpSessionRefused", Level = LogLevel.Warning, Message = "Session {Session} closed: {Reason}")]
    public static partial void SessionRefused(ILogger logger, long session, string reason);

    [LoggerMessage(EventId = 1210, EventName = "FtpTlsEstablished", Level = LogLevel.Debug, Message = "Session {Session}: control connection protected ({Protocol})")]
    public static partial void TlsEstablished(ILogger logger, long session, System.Security.Authentication.SslProtocols protocol);

    [LoggerMessage(EventId = 1211, EventName = "FtpTlsFailed", Level = LogLevel.Warning, Message = "Session {Session}: TLS handshake on the {Connection} connection failed: {Reason}")]
    public static partial void TlsFailed(ILogger logger, long session, string connection, string reason);

    [LoggerMessage(EventId = 1212, EventName = "FtpTransferFailed", Level = LogLevel.Debug, Message = "Session {Session}: transfer of {Path} ended early ({Outcome})")]
    public static partial void TransferFailed(ILogger logger, long session, string path, string outcome, Exception exception);

    [LoggerMessage(EventId = 1213, EventName = "FtpEventHandlerFailed", Level = LogLevel.Error, Message = "Session {Session}: event handler {Handler} failed on {Event}")]
    public static partial void EventHandlerFailed(ILogger logger, long session, string handler, string @event, Exception exception);

    [LoggerMessage(EventId = 1214, EventName = "FtpAuthenticatorFailed", Level = LogLevel.Error, Message = "Session {Session}: the authenticator failed; the login is refused")]
    public static partial void AuthenticatorFailed(ILogger logger, long session, Exception exception);

    [LoggerMessage(EventId = 1216, EventName = "FtpProxyHeaderRefused", Level = LogLevel.Warning, Message = "Connection from {RemoteEndPoint} closed: {Reason}")]
    public static partial void ProxyHeaderRefused(ILogger logger, EndPoint? remoteEndPoint, string reason);

    [LoggerMessage(EventId = 1217, EventName = "FtpCertificateReloaded", Level = LogLevel.Information, Message = "TLS certificate {Path} read again after it changed")]
    public static partial void CertificateReloaded(ILogger logger, string path);

    [LoggerMessage(EventId = 1218, EventName = "FtpCertificateReloadFailed", Level = LogLevel.Warning, Message = "The changed TLS certificate cannot be used ({Reason}); the previous one stays")]
    public static partial void CertificateReloadFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 1215, EventName = "FtpUploadRefused", Level = LogLevel.Information, Message = "Session {Session}: upload of {Path} refused by a handler: {Reason}")]
    public static partial void UploadRefused(ILogger logger, long session, string path, string reason);
}
