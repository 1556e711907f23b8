namespace GoplNet.Ftp.Storage;

/// <summary>Virtual paths as clients see them: <c>/</c> is the server's root and <c>..</c> never climbs above it.</summary>
internal static class FtpPath
{
    /// <summary>The longest virtual path accepted, in characters (PATH_MAX).</summary>
    public const int MaxLength = 4096;

    /// <summary>
    /// The virtual path <paramref name="argument"/> names, seen from <paramref name="current"/>;
    /// <see langword="null"/> for a NUL byte or an overlong path. Backslashes and percent signs are
    /// ordinary characters of a name.
    /// </summary>
    public static string? Resolve(string current, string argument)
    {
        if (argument.Contains('\0', StringComparison.Ordinal) || argument.Length > MaxLength)
        {
            return null;
        }

        var combined = argument.StartsWith('/') ? argument : current + "/" + argument;
        var stack = new List<string>();
        foreach (var segment in combined.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (stack.Count > 0)
                {
                    stack.RemoveAt(stack.Count - 1);
                }

                continue;
            }

            stack.Add(segment);
        }

        var resolved = "/" + string.Join('/', stack);
        return resolved.Length > MaxLength ? null : resolved;
    }

    /// <summary>The last segment of a virtual path (<c>/</c> for the root).</summary>
    public static string NameOf(string virtualPath) => virtualPath == "/" ? "/" : virtualPath[(virtualPath.LastIndexOf('/') + 1)..];

    /// <summary>The directory that holds a virtual path.</summary>
    public static string ParentOf(string virtualPath)
    {
        var slash = virtualPath.LastIndexOf('/');
        return slash <= 0 ? "/" : virtualPath[..slash];
    }
}
