namespace GoplNet.Ftp.Authentication;

/// <summary>An account of the built-in <see cref="FtpUserAuthenticator"/>: a name, a password hash (see <see cref="FtpPasswordHash"/>), a home and permissions.</summary>
/// <param name="Name">The login name.</param>
/// <param name="PasswordHash">The password in the form <see cref="FtpPasswordHash.Create"/> returns.</param>
public sealed record FtpUser(string Name, string PasswordHash)
{
    /// <summary>The account's home in the server's storage, seen as <c>/</c>. Default <c>/</c>.</summary>
    public string Home { get; init; } = "/";

    /// <summary>What the account may do. Default <see cref="FtpPermissions.All"/>.</summary>
    public FtpPermissions Permissions { get; init; } = FtpPermissions.All;

    /// <summary>The most sessions the account may have at once. Default <see langword="null"/>: no limit of its own.</summary>
    public int? MaxSessions { get; init; }

    /// <summary>The largest file the account may upload, in bytes. Default <see langword="null"/>: no limit.</summary>
    public long? MaxUploadBytes { get; init; }

    /// <summary>An account whose password is given in clear text (hashed here, never kept).</summary>
    /// <param name="name">The login name.</param>
    /// <param name="password">The password.</param>
    /// <param name="permissions">What the account may do. Default: everything.</param>
    /// <returns>The account.</returns>
    public static FtpUser WithPassword(string name, string password, FtpPermissions permissions = FtpPermissions.All) =>
        new(name, FtpPasswordHash.Create(password)) { Permissions = permissions };

    /// <summary>The user's account as a session sees it.</summary>
    /// <returns>The account.</returns>
    public FtpAccount ToAccount() => new(Name) { Home = Home, Permissions = Permissions, MaxSessions = MaxSessions, MaxUploadBytes = MaxUploadBytes };

    /// <summary>The name and access, never the hash.</summary>
    /// <returns>For example <c>alice (All, home /alice)</c>.</returns>
    public override string ToString() => $"{Name} ({Permissions}, home {Home})";
}
