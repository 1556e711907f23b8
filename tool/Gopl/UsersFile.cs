using System.Globalization;
using System.Text.RegularExpressions;
using GoplNet.Ftp.Authentication;

namespace Gopl;

/// <summary>
/// The accounts of <c>--users-file</c>, one a line: <c>NAME:HASH:rw</c> or <c>NAME:HASH:ro</c>, <c>#</c> comments.
/// Every line is checked before the server starts, so a plain password, a repeated name or an
/// unknown permission stops it with the file and line named instead of locking the account out.
/// </summary>
internal static partial class UsersFile
{
    public static List<FtpUser> Read(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--users-file: cannot read '{path}': {e.Message}");
        }

        var users = new List<FtpUser>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var number = i + 1;
            var parts = line.Split(':');
            if (parts.Length != 3 || parts[0].Length == 0)
            {
                throw Bad(path, number, "not NAME:HASH:rw or NAME:HASH:ro");
            }

            var (name, hash, access) = (parts[0], parts[1], parts[2]);
            if (!IsPasswordHash(hash))
            {
                throw Bad(path, number, $"the password of '{name}' is not a hash that 'gopl ftp passwd' makes (pbkdf2-sha256$...); make the line with 'gopl ftp passwd {name}'");
            }

            if (access is not ("rw" or "ro"))
            {
                throw Bad(path, number, $"unknown permission '{access}' (rw for read-write, ro for read-only)");
            }

            if (seen.TryGetValue(name, out var first))
            {
                throw Bad(path, number, $"'{name}' is already defined on line {first.ToString(CultureInfo.InvariantCulture)}");
            }

            seen.Add(name, number);
            users.Add(new FtpUser(name, hash, access == "ro"));
        }

        return users;
    }

    private static UsageException Bad(string path, int line, string problem) =>
        new($"--users-file: {path}:{line.ToString(CultureInfo.InvariantCulture)}: {problem}");

    /// <summary>The form <see cref="FtpPasswordHash.Create"/> writes and <see cref="FtpPasswordHash.Verify"/> accepts: scheme, iterations, salt and hash in base64.</summary>
    private static bool IsPasswordHash(string text)
    {
        var match = PasswordHash().Match(text);
        return match.Success
            && int.TryParse(match.Groups["iterations"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var iterations)
            && iterations <= 10_000_000
            && IsBase64(match.Groups["salt"].Value)
            && IsBase64(match.Groups["hash"].Value);
    }

    private static bool IsBase64(string text) => Convert.TryFromBase64String(text, new byte[text.Length], out var length) && length > 0;

    [GeneratedRegex(@"^pbkdf2-sha256\$(?<iterations>[1-9][0-9]{0,7})\$(?<salt>[A-Za-z0-9+/=]+)\$(?<hash>[A-Za-z0-9+/=]+)$")]
    private static partial Regex PasswordHash();
}
