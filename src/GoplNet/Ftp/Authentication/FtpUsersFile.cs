using System.Globalization;

namespace GoplNet.Ftp.Authentication;

/// <summary>
/// A file of accounts, one a line: <c>NAME:HASH:rw</c> or <c>NAME:HASH:ro</c>, optionally followed
/// by <c>:HOME</c> (the account's home in the server's storage, such as <c>/alice</c>); blank lines
/// and lines starting with <c>#</c> are skipped. <c>gopl ftp passwd NAME</c> prints a line.
/// </summary>
/// <remarks>
/// Every line is checked: a plain password where the hash belongs, a repeated name or an unknown
/// access stops the load with the file and line named, instead of locking an account out.
/// </remarks>
public static class FtpUsersFile
{
    /// <summary>Reads and checks a users file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>Its accounts, in file order.</returns>
    /// <exception cref="FormatException">A line is malformed; the message names the file and line.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static IReadOnlyList<FtpUser> Read(string path) => Parse(File.ReadAllLines(path), path);

    /// <summary>Checks the lines of a users file.</summary>
    /// <param name="lines">The lines.</param>
    /// <param name="source">The name messages give the file.</param>
    /// <returns>The accounts, in line order.</returns>
    /// <exception cref="FormatException">A line is malformed; the message names the source and line.</exception>
    public static IReadOnlyList<FtpUser> Parse(IEnumerable<string> lines, string source)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var users = new List<FtpUser>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var parts = line.Split(':');
            if (parts.Length is not (3 or 4) || parts[0].Length == 0)
            {
                throw Bad(source, number, "not NAME:HASH:rw or NAME:HASH:ro (optionally :HOME)");
            }

            var (name, hash, access) = (parts[0], parts[1], parts[2]);
            if (!FtpPasswordHash.IsWellFormed(hash))
            {
                throw Bad(source, number, $"the password of '{name}' is not a hash that 'gopl ftp passwd' makes (pbkdf2-sha256$...); make the line with 'gopl ftp passwd {name}'");
            }

            if (access is not ("rw" or "ro"))
            {
                throw Bad(source, number, $"unknown permission '{access}' (rw for read-write, ro for read-only)");
            }

            var home = parts.Length == 4 ? parts[3] : "/";
            if (!home.StartsWith('/') || home.Split('/').Any(segment => segment is "." or ".."))
            {
                throw Bad(source, number, $"the home '{home}' of '{name}' is not an absolute path without . or ..");
            }

            if (seen.TryGetValue(name, out var first))
            {
                throw Bad(source, number, $"'{name}' is already defined on line {first.ToString(CultureInfo.InvariantCulture)}");
            }

            seen.Add(name, number);
            users.Add(new FtpUser(name, hash)
            {
                Permissions = access == "ro" ? FtpPermissions.ReadOnly : FtpPermissions.All,
                Home = home.Length > 1 ? home.TrimEnd('/') : home,
            });
        }

        return users;
    }

    private static FormatException Bad(string source, int line, string problem) =>
        new($"{source}:{line.ToString(CultureInfo.InvariantCulture)}: {problem}");
}
