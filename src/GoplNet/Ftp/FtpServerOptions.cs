namespace GoplNet;

/// <summary>Settings of an <see cref="FtpServer"/>.</summary>
public sealed class FtpServerOptions
{
    /// <summary>The directory clients see as <c>/</c>. Default: the process's current directory. Every path a client names is resolved inside it.</summary>
    public string Root { get; set; } = Environment.CurrentDirectory;

    /// <summary>The address to listen on. Default <c>"localhost"</c> (127.0.0.1); <c>"*"</c> listens on every interface.</summary>
    public string Host { get; set; } = "localhost";

    /// <summary>The control port. Default 2121 (21 needs privileges); 0 picks a free port.</summary>
    public int Port { get; set; } = 2121;

    /// <summary>The lowest port for passive data connections. Default 0: any free port.</summary>
    public int PassivePortMin { get; set; }

    /// <summary>The highest port for passive data connections. Default 0: any free port.</summary>
    public int PassivePortMax { get; set; }

    /// <summary>The IPv4 address announced in PASV replies. Default <see langword="null"/>: the address the client connected to.</summary>
    public string? PassiveAddress { get; set; }

    /// <summary>Accounts that may log in with a password (see <see cref="FtpUser"/>). Default: none.</summary>
    public IList<FtpUser> Users { get; } = [];

    /// <summary>
    /// Whether <c>anonymous</c> and <c>ftp</c> may log in with any password, read-only. Default
    /// <see langword="false"/>; when no <see cref="Users"/> are configured, anonymous access is on anyway.
    /// </summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>Whether every account is refused every write. Default <see langword="false"/>.</summary>
    public bool ReadOnly { get; set; }

    /// <summary>The text of the 220 greeting. Default <c>"GoplNet FTP server ready."</c>.</summary>
    public string Banner { get; set; } = "GoplNet FTP server ready.";

    /// <summary>The permission bits of uploaded files (a umask of 022). Default <c>rw-r--r--</c> (0644).</summary>
    public UnixFileMode UploadFileMode { get; set; } =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>The longest command line accepted, in bytes. Default 4,096; a longer line is answered 500 and the session closed.</summary>
    public int MaxCommandLength { get; set; } = 4096;

    /// <summary>How long <see cref="FtpServer.StopAsync"/> lets running transfers finish before closing sessions. Default 10 seconds.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a passive data port waits for the client to connect. Default 30 seconds.</summary>
    public TimeSpan DataConnectionTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
