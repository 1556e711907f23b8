using System.Collections.Concurrent;
using System.Net.Security;
using GoplNet.Ftp.Authentication;
using GoplNet.Ftp.Events;
using GoplNet.Hosting;
using GoplNet.Ftp.Storage;
using Microsoft.Extensions.Logging;

namespace GoplNet.Ftp.Protocol;

/// <summary>What every session of one server shares: settings, storage, authenticator, events, clock, logs and the TLS certificate.</summary>
internal sealed class FtpSessionContext(
    FtpServerOptions options, IFtpFileSystem fileSystem, IFtpAuthenticator authenticator, FtpEventDispatcher events,
    TimeProvider timeProvider, ILogger logger, FtpCertificateSource? certificates)
{
    private readonly ConcurrentDictionary<string, int> _sessionsPerAccount = new(StringComparer.Ordinal);

    public FtpServerOptions Options { get; } = options;

    /// <summary>The server's storage; an account sees its home in it, unless it brings its own.</summary>
    public IFtpFileSystem FileSystem { get; } = fileSystem;

    public IFtpAuthenticator Authenticator { get; } = authenticator;

    public FtpEventDispatcher Events { get; } = events;

    /// <summary>The balancers allowed to send PROXY headers and to forward passive data connections; <see langword="null"/> without the PROXY protocol.</summary>
    public TrustedProxies? Proxies { get; init; }

    /// <summary>The address PASV announces (<see cref="FtpServerOptions.PassiveAddress"/>, resolved at start), or <see langword="null"/> for the control connection's own.</summary>
    public System.Net.IPAddress? PassiveAddress { get; init; }

    public TimeProvider TimeProvider { get; } = timeProvider;

    public ILogger Logger { get; } = logger;

    /// <summary>The server's certificate, ready for handshakes; <see langword="null"/> without TLS.</summary>
    public SslStreamCertificateContext? Certificate => certificates?.Current;

    /// <summary>Counts a session of an account; <see langword="false"/> (and nothing counted) when it has <see cref="FtpAccount.MaxSessions"/> already.</summary>
    public bool TryEnterAccount(FtpAccount account)
    {
        while (true)
        {
            var count = _sessionsPerAccount.GetValueOrDefault(account.Name);
            if (account.MaxSessions is { } max && count >= max)
            {
                return false;
            }

            if (count == 0 ? _sessionsPerAccount.TryAdd(account.Name, 1) : _sessionsPerAccount.TryUpdate(account.Name, count + 1, count))
            {
                return true;
            }
        }
    }

    /// <summary>Uncounts a session of an account.</summary>
    public void LeaveAccount(FtpAccount account)
    {
        while (true)
        {
            var count = _sessionsPerAccount.GetValueOrDefault(account.Name);
            if (count <= 1 ? _sessionsPerAccount.TryRemove(KeyValuePair.Create(account.Name, count)) || count == 0 : _sessionsPerAccount.TryUpdate(account.Name, count - 1, count))
            {
                return;
            }
        }
    }

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
