using System.Net.Security;
using Microsoft.Extensions.Logging;

namespace GoplNet;

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

    /// <summary>The settings of every handshake, control and data: TLS 1.2 and 1.3, session resumption allowed.</summary>
    public SslServerAuthenticationOptions TlsOptions() => new()
    {
        ServerCertificateContext = Certificate,
        EnabledSslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13,
        ClientCertificateRequired = false,
        AllowTlsResume = true,
    };
}
