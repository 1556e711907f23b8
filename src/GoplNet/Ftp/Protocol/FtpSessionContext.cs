using System.Net.Security;
using GoplNet.Ftp.Authentication;
using GoplNet.Ftp.Storage;
using Microsoft.Extensions.Logging;

namespace GoplNet.Ftp.Protocol;

/// <summary>What every session of one server shares: settings, storage, clock, logs and the TLS certificate.</summary>
internal sealed class FtpSessionContext(
    FtpServerOptions options, IFtpFileSystem fileSystem, TimeProvider timeProvider, ILogger logger,
    SslStreamCertificateContext? certificate, FtpTransferLog? transferLog)
{
    public FtpServerOptions Options { get; } = options;

    public IFtpFileSystem FileSystem { get; } = fileSystem;

    public TimeProvider TimeProvider { get; } = timeProvider;

    public ILogger Logger { get; } = logger;

    /// <summary>The server's certificate, ready for handshakes; <see langword="null"/> without TLS.</summary>
    public SslStreamCertificateContext? Certificate { get; } = certificate;

    public FtpTransferLog? TransferLog { get; } = transferLog;

    /// <summary>Checks passwords for every session of the server (one cache, one bound on key derivations).</summary>
    public FtpPasswordVerifier Passwords { get; } = new(timeProvider, options.LoginFailureDelay);

    /// <summary>
    /// The settings of a handshake: TLS 1.3 or 1.2, session resumption allowed (a data connection
    /// may resume the control connection's session). An upload's data connection is TLS 1.2: a TLS
    /// 1.3 server sends its session tickets after the handshake, an uploading client never reads
    /// them, and closing a socket with unread bytes resets the connection, which throws away the
    /// upload's last bytes still queued at the server. TLS 1.2 sends its ticket inside the handshake.
    /// </summary>
    public SslServerAuthenticationOptions TlsOptions(bool upload) => new()
    {
        ServerCertificateContext = Certificate,
        EnabledSslProtocols = upload
            ? System.Security.Authentication.SslProtocols.Tls12
            : System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13,
        ClientCertificateRequired = false,
        AllowTlsResume = true,
    };
}
