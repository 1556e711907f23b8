namespace GoplNet.Ftp.Authentication;

/// <summary>An FTP account: a name, a password hash (see <see cref="FtpPasswordHash"/>) and its access.</summary>
/// <param name="Name">The login name.</param>
/// <param name="PasswordHash">The password in the form <see cref="FtpPasswordHash.Create"/> returns.</param>
/// <param name="ReadOnly">Whether every write is refused for this account.</param>
public sealed record FtpUser(string Name, string PasswordHash, bool ReadOnly = false)
{
    /// <summary>An account whose password is given in clear text (hashed here, never kept).</summary>
    /// <param name="name">The login name.</param>
    /// <param name="password">The password.</param>
    /// <param name="readOnly">Whether every write is refused.</param>
    /// <returns>The account.</returns>
    public static FtpUser WithPassword(string name, string password, bool readOnly = false) =>
        new(name, FtpPasswordHash.Create(password), readOnly);
}
