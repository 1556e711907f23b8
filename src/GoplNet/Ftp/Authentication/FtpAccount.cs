using GoplNet.Ftp.Storage;

namespace GoplNet.Ftp.Authentication;

/// <summary>
/// A logged-in user as the server sees it: what an <see cref="IFtpAuthenticator"/> returns. The
/// account carries its own storage root, its permissions and its limits.
/// </summary>
public sealed class FtpAccount
{
    /// <summary>Creates an account.</summary>
    /// <param name="name">The login name, as logs and events show it.</param>
    public FtpAccount(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
    }

    /// <summary>The login name, as logs and events show it.</summary>
    public string Name { get; }

    /// <summary>Whether this is an anonymous login (the transfer log marks it). Default <see langword="false"/>.</summary>
    public bool IsAnonymous { get; init; }

    /// <summary>
    /// The account's home in the server's storage (<see cref="FtpServerOptions.FileSystem"/>, or the
    /// local <see cref="FtpServerOptions.Root"/>): the directory the account sees as <c>/</c> and
    /// can never leave. Default <c>/</c>, the whole storage. Ignored when <see cref="FileSystem"/> is set.
    /// </summary>
    public string Home { get; init; } = "/";

    /// <summary>A storage of the account's own, instead of the server's storage. Default <see langword="null"/>.</summary>
    public IFtpFileSystem? FileSystem { get; init; }

    /// <summary>What the account may do. Default <see cref="FtpPermissions.All"/>; <see cref="FtpServerOptions.ReadOnly"/> takes writes away from every account.</summary>
    public FtpPermissions Permissions { get; init; } = FtpPermissions.All;

    /// <summary>The most sessions this account may have at once; a login past it is answered 421. Default <see langword="null"/>: no limit of its own.</summary>
    public int? MaxSessions { get; init; }

    /// <summary>The largest file the account may upload, in bytes; an upload past it is cut off with 552 and discarded. Default <see langword="null"/>: no limit.</summary>
    public long? MaxUploadBytes { get; init; }
}
