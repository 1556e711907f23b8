using System.Security.Cryptography.X509Certificates;
using GoplNet.Ftp.Events;
using GoplNet.Ftp.Storage;
using Microsoft.Extensions.Options;
using GoplNet.Ftp.Authentication;

namespace GoplNet.Ftp;

/// <summary>Settings of an <see cref="FtpServer"/>.</summary>
public sealed class FtpServerOptions
{
    /// <summary>
    /// The local directory clients see as <c>/</c> when no <see cref="FileSystem"/> is set. Default:
    /// the process's current directory. Every path a client names is resolved inside it.
    /// </summary>
    public string Root { get; set; } = Environment.CurrentDirectory;

    /// <summary>
    /// The storage to serve instead of the local <see cref="Root"/>: an <see cref="InMemoryFtpFileSystem"/>,
    /// a <see cref="LocalFtpFileSystem"/> of your own, or any <see cref="IFtpFileSystem"/>. Each
    /// account sees its <see cref="FtpAccount.Home"/> in it. Default <see langword="null"/>: the local <see cref="Root"/>.
    /// </summary>
    public IFtpFileSystem? FileSystem { get; set; }

    /// <summary>
    /// Checks logins instead of the built-in <see cref="FtpUserAuthenticator"/> over <see cref="Users"/>
    /// (an <see cref="IFtpAuthenticator"/> registered in DI takes precedence). Default <see langword="null"/>.
    /// </summary>
    public IFtpAuthenticator? Authenticator { get; set; }

    /// <summary>Handlers of the server's events (logins, transfers, uploads to approve, deletions, renames); DI-registered <see cref="FtpServerEvents"/>s are added to them.</summary>
    public IList<FtpServerEvents> Events { get; } = [];

    /// <summary>The address to listen on. Default <c>"localhost"</c> (127.0.0.1); <c>"*"</c> listens on every interface.</summary>
    public string Host { get; set; } = "localhost";

    /// <summary>The control port. Default 2121 (21 needs privileges); 0 picks a free port.</summary>
    public int Port { get; set; } = 2121;

    /// <summary>The lowest port for passive data connections. Default 0: any free port.</summary>
    public int PassivePortMin { get; set; }

    /// <summary>The highest port for passive data connections. Default 0: any free port.</summary>
    public int PassivePortMax { get; set; }

    /// <summary>
    /// The IPv4 address, or a host name resolved once at start, announced in PASV replies: behind a
    /// load balancer or NAT, its public address. Default <see langword="null"/>: the address the client connected to.
    /// </summary>
    public string? PassiveAddress { get; set; }

    /// <summary>
    /// Whether control connections start with a PROXY protocol header (HAProxy's versions 1 and 2),
    /// as a TCP load balancer sends them with <c>send-proxy</c> or <c>send-proxy-v2</c>: the real
    /// client address it carries is what logs, limits, events and the data-connection checks see.
    /// Only <see cref="TrustedProxies"/> may connect; anyone else is closed without a reply.
    /// Default <see langword="false"/>.
    /// </summary>
    public bool ProxyProtocol { get; set; }

    /// <summary>
    /// The balancers allowed to send PROXY headers, as addresses or CIDR networks
    /// (<c>10.0.0.5</c>, <c>10.0.0.0/8</c>, <c>fd00::/8</c>); needed with <see cref="ProxyProtocol"/>.
    /// A passive data connection from one of them must also start with a PROXY header, naming the
    /// session's client (configure the balancer to send one on the passive ports too). Default: none.
    /// </summary>
    public IList<string> TrustedProxies { get; } = [];

    /// <summary>
    /// The built-in authenticator's accounts (see <see cref="FtpUser"/>), read when the server is
    /// created; to change accounts while it runs, use <see cref="FtpUserAuthenticator.SetUsers"/>
    /// on an authenticator of your own. Default: none.
    /// </summary>
    public IList<FtpUser> Users { get; } = [];

    /// <summary>
    /// Whether <c>anonymous</c> and <c>ftp</c> may log in with any password, read-only, with the
    /// whole storage as their home. Default <see langword="false"/>. A server where nobody can log
    /// in (no users, no anonymous access, no authenticator) refuses to start.
    /// </summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>Whether every account is refused every write (its permissions are cut to <see cref="FtpPermissions.ReadOnly"/>). Default <see langword="false"/>.</summary>
    public bool ReadOnly { get; set; }

    /// <summary>The text of the 220 greeting. Default <c>"GoplNet FTP server ready."</c>.</summary>
    public string Banner { get; set; } = "GoplNet FTP server ready.";

    /// <summary>The permission bits of files uploaded to the local <see cref="Root"/> (a umask of 022). Default <c>rw-r--r--</c> (0644).</summary>
    public UnixFileMode UploadFileMode { get; set; } =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>The longest command line accepted, in bytes. Default 4,096; a longer line is answered 500 and the session closed.</summary>
    public int MaxCommandLength { get; set; } = 4096;

    /// <summary>How long <see cref="FtpServer.StopAsync"/> lets running transfers finish before closing sessions. Default 10 seconds.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a passive data port waits for the client to connect (and an active connection or a TLS handshake may take). Default 30 seconds.</summary>
    public TimeSpan DataConnectionTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a data transfer may go without moving a byte before it is cut off (426). Default 5 minutes.</summary>
    public TimeSpan StalledTransferTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a control connection may stay silent, with no transfer running, before the server answers 421 and closes it. Default 5 minutes.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The most sessions at once; a connection past it is answered 421 and closed. Default 1,000.</summary>
    public int MaxSessions { get; set; } = 1000;

    /// <summary>The most sessions at once from one client address; a connection past it is answered 421 and closed. Default 100.</summary>
    public int MaxSessionsPerAddress { get; set; } = 100;

    /// <summary>How long the server waits before answering a failed login, which slows password guessing. Default 1 second.</summary>
    public TimeSpan LoginFailureDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The failed logins a session may make; the last one is answered 421 and the session closed. Default 3.</summary>
    public int MaxLoginFailures { get; set; } = 3;

    /// <summary>The commands a session may have refused (unknown, or not allowed) before login; past it the session is answered 421 and closed. Default 20.</summary>
    public int MaxRefusedCommandsBeforeLogin { get; set; } = 20;

    /// <summary>
    /// The certificate (with its private key) for explicit FTPS (RFC 4217: AUTH TLS, PBSZ, PROT).
    /// Default <see langword="null"/>: no TLS, and AUTH is answered 502. TLS 1.2 and 1.3 only.
    /// </summary>
    public X509Certificate2? TlsCertificate { get; set; }

    /// <summary>
    /// Whether everything must go over TLS: USER and PASS are refused (530) before AUTH TLS and data
    /// transfers before PROT P (521). Needs <see cref="TlsCertificate"/>. Default <see langword="false"/>.
    /// </summary>
    public bool RequireTls { get; set; }

    /// <summary>
    /// Whether the control port speaks TLS from the first byte (implicit FTPS, the port-990
    /// convention of devices and clients that know no AUTH TLS): the handshake comes before the
    /// greeting and data connections are protected unless the client sends PROT C. Needs
    /// <see cref="TlsCertificate"/>. Default <see langword="false"/> (explicit FTPS, when a certificate is set).
    /// </summary>
    public bool ImplicitTls { get; set; }

    /// <summary>
    /// Whether a long binary upload into a local file is written past the page cache (O_DIRECT)
    /// after its first MiB, on Linux, on ext2/3/4, XFS, Btrfs and F2FS: the upload keeps the disk's
    /// pace whatever memory the machine has free and evicts no cached file others download; the
    /// first MiB, the last partial block and other file systems go through the page cache. Turn it
    /// off where uploads are read back at once and the page cache should keep them, or where the
    /// disk is slower than the network and write-back should absorb bursts. Default <see langword="true"/>.
    /// </summary>
    public bool DirectUploads { get; set; } = true;

    /// <summary>
    /// The certificate for FTPS as a file: PEM (with its key in the same file or in
    /// <see cref="TlsKeyPath"/>) or PKCS#12 (with <see cref="TlsCertificatePassword"/>). Read at start
    /// and again whenever the file changes, so a renewed certificate needs no restart. Used when
    /// <see cref="TlsCertificate"/> is not set. Default <see langword="null"/>.
    /// </summary>
    public string? TlsCertificatePath { get; set; }

    /// <summary>The PEM private key of <see cref="TlsCertificatePath"/>, when it is in a file of its own. Default <see langword="null"/>.</summary>
    public string? TlsKeyPath { get; set; }

    /// <summary>The password of a PKCS#12 <see cref="TlsCertificatePath"/>. Default <see langword="null"/>: none.</summary>
    public string? TlsCertificatePassword { get; set; }

    /// <summary>
    /// Applies a configuration section (<c>appsettings.json</c>'s <c>"Ftp"</c>, environment
    /// variables): every property by its name; durations as <c>00:00:30</c> or Go's <c>30s</c>;
    /// <c>UploadFileMode</c> in octal (<c>"0644"</c>); <c>Users</c> as an array of
    /// <c>{ Name, PasswordHash, Home, Permissions, MaxSessions, MaxUploadBytes }</c> with permissions by
    /// name (<c>"ReadOnly"</c>, <c>"List, Read, Write"</c>), or <c>UsersFile</c>; <c>TrustedProxies</c>
    /// as an array. An unknown or misspelt key is an error, never dropped.
    /// </summary>
    /// <param name="configuration">The section.</param>
    /// <exception cref="OptionsValidationException">A key is unknown or a value cannot be read: one failure per problem, naming its key.</exception>
    public void Bind(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var errors = new FtpServerOptionsBinder(configuration).Bind(this);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(Microsoft.Extensions.Options.Options.DefaultName, typeof(FtpServerOptions), errors);
        }
    }

    /// <summary>A file that receives one line per transfer in the xferlog format (wu-ftpd, vsftpd). Default <see langword="null"/>: no transfer log.</summary>
    public string? TransferLogPath { get; set; }
}
