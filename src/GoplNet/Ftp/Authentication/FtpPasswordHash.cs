using System.Text.RegularExpressions;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace GoplNet.Ftp.Authentication;

/// <summary>
/// Salted PBKDF2-SHA256 password hashes for FTP accounts, in the text form
/// <c>pbkdf2-sha256$ITERATIONS$SALT$HASH</c> (salt and hash in base64).
/// </summary>
public static partial class FtpPasswordHash
{
    private const string Scheme = "pbkdf2-sha256";
    private const int Iterations = 100_000;

    /// <summary>
    /// A hash checked for unknown names, so they cost as much as known ones: made once from 32
    /// random bytes that were thrown away, with the same iteration count as <see cref="Create"/>.
    /// </summary>
    internal const string Decoy = "pbkdf2-sha256$100000$GHV9iZTY+BFgR3pDMM8dAA==$bOy6UD6NTYPsF7dB79eH1RbR72BdmVgJUYHjv7jyxOU=";

    /// <summary>Hashes <paramref name="password"/> with a new random salt.</summary>
    /// <param name="password">The password.</param>
    /// <returns>The hash text, safe to store in a users file.</returns>
    public static string Create(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA256, 32);
        return string.Create(CultureInfo.InvariantCulture, $"{Scheme}${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <summary>Whether <paramref name="password"/> matches <paramref name="hashText"/>, compared in constant time.</summary>
    /// <param name="password">The password a client sent.</param>
    /// <param name="hashText">A hash from <see cref="Create"/>.</param>
    /// <returns><see langword="true"/> when they match; <see langword="false"/> also for a malformed hash.</returns>
    public static bool Verify(string password, string hashText)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(hashText);
        var parts = hashText.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations is < 1 or > 10_000_000)
        {
            return false;
        }

        try
        {
            var salt = Convert.FromBase64String(parts[2]);
            var expected = Convert.FromBase64String(parts[3]);
            var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>The form <see cref="FtpPasswordHash.Create"/> writes and <see cref="FtpPasswordHash.Verify"/> accepts: scheme, iterations, salt and hash in base64.</summary>
    /// <param name="text">The text to check.</param>
    /// <returns>Whether it is such a hash (whatever password it holds).</returns>
    public static bool IsWellFormed(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
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
