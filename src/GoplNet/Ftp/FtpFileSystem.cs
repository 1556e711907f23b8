using System.Runtime.InteropServices;

namespace GoplNet;

/// <summary>
/// The one way a session reaches files: virtual paths (<c>/</c> is the server's root) are
/// resolved lexically (<c>..</c> never climbs above <c>/</c>), mapped under the root, and checked
/// after resolving symbolic links, so nothing outside the root is ever opened. Symbolic links are
/// followed while their target stays inside the root.
/// </summary>
internal sealed partial class FtpFileSystem
{
    private readonly string _realRoot;

    public FtpFileSystem(string root)
    {
        var full = Path.GetFullPath(root);
        if (!Directory.Exists(full))
        {
            throw new DirectoryNotFoundException($"The FTP root '{root}' does not exist.");
        }

        Root = full.TrimEnd('/');
        _realRoot = RealPath(full) ?? Root;
    }

    public string Root { get; }

    /// <summary>The virtual path <paramref name="argument"/> names, seen from <paramref name="current"/>; <see langword="null"/> for a NUL byte.</summary>
    public static string? Resolve(string current, string argument)
    {
        if (argument.Contains('\0', StringComparison.Ordinal))
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

        return "/" + string.Join('/', stack);
    }

    /// <summary>The local path of a virtual path, or <see langword="null"/> when it would lead outside the root (through a link).</summary>
    public string? ToLocal(string virtualPath)
    {
        var local = virtualPath == "/" ? Root : Root + virtualPath;
        return IsInsideRoot(local) ? local : null;
    }

    public static string NameOf(string virtualPath) => virtualPath == "/" ? "/" : virtualPath[(virtualPath.LastIndexOf('/') + 1)..];

    public static string ParentOf(string virtualPath)
    {
        var slash = virtualPath.LastIndexOf('/');
        return slash <= 0 ? "/" : virtualPath[..slash];
    }

    /// <summary>Whether <paramref name="local"/> (or, when it does not exist, its nearest existing ancestor) resolves inside the root.</summary>
    private bool IsInsideRoot(string local)
    {
        var probe = local;
        while (!Path.Exists(probe) && !IsLink(probe))
        {
            var parent = Path.GetDirectoryName(probe);
            if (parent is null || parent.Length < Root.Length)
            {
                return false;
            }

            probe = parent;
        }

        var real = RealPath(probe);
        return real is not null && (real == _realRoot || real.StartsWith(_realRoot + "/", StringComparison.Ordinal));
    }

    private static bool IsLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget is not null;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>realpath(3): the path with every link resolved; <see langword="null"/> when it cannot be resolved (a dangling link).</summary>
    private static string? RealPath(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return Path.GetFullPath(path);
        }

        var resolved = NativeRealPath(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            NativeFree(resolved);
        }
    }

    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr NativeRealPath(string path, IntPtr resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void NativeFree(IntPtr pointer);
}
