using System.IO.Enumeration;
using System.Runtime.InteropServices;
using System.Text;

namespace GoplNet;

/// <summary>
/// Reads a directory's entries with their facts for listings. On Linux each entry costs one
/// statx(2) relative to the open directory (a one-component lookup, not the whole path again),
/// and the calls for a large directory are spread over the cores; elsewhere it falls back to
/// .NET's enumeration. Links are reported as links and never followed here.
/// </summary>
internal static partial class LocalFtpDirectoryReader
{
    private const int ParallelThreshold = 1024;
    private const int AtSymlinkNoFollow = 0x100;
    private const int OpenReadOnlyCloseOnExec = 0x80000;
    private const uint StatxWanted = 0x1 | 0x2 | 0x4 | 0x40 | 0x200; // TYPE, MODE, NLINK, MTIME, SIZE
    private const int StatxSize = 256;
    private const int FileTypeMask = 0xF000;
    private const int DirectoryType = 0x4000;
    private const int LinkType = 0xA000;

    private static readonly EnumerationOptions NamesOnly = new()
    {
        AttributesToSkip = 0,
        IgnoreInaccessible = true,
        RecurseSubdirectories = false,
        ReturnSpecialDirectories = false,
    };

    private static bool _nativeUnavailable = !OperatingSystem.IsLinux();

    /// <summary>The entries of <paramref name="directory"/> in ordinal name order (entries that vanish meanwhile are left out).</summary>
    public static FtpEntry[] Read(string directory)
    {
        if (!Volatile.Read(ref _nativeUnavailable))
        {
            try
            {
                if (TryReadNative(directory) is { } entries)
                {
                    return entries;
                }
            }
            catch (EntryPointNotFoundException)
            {
                // A C library without statx (glibc before 2.28): .NET's enumeration from now on.
                Volatile.Write(ref _nativeUnavailable, true);
            }
        }

        return ReadManaged(directory);
    }

    private static FtpEntry[]? TryReadNative(string directory)
    {
        // Names come from the directory read alone (no stat); sorting first lets the stat calls fill the result in place.
        var names = new FileSystemEnumerable<string>(directory, static (ref FileSystemEntry entry) => entry.FileName.ToString(), NamesOnly).ToArray();
        Array.Sort(names, StringComparer.Ordinal);
        var descriptor = Open(directory, OpenReadOnlyCloseOnExec);
        if (descriptor < 0)
        {
            return null;
        }

        try
        {
            var entries = new FtpEntry[names.Length];
            var present = new bool[names.Length];
            if (names.Length < ParallelThreshold || Environment.ProcessorCount == 1)
            {
                StatRange(descriptor, names, entries, present, 0, names.Length);
            }
            else
            {
                var parts = Math.Min(Environment.ProcessorCount, 4);
                var size = (names.Length + parts - 1) / parts;
                Parallel.For(0, parts, part => StatRange(descriptor, names, entries, present, part * size, Math.Min(names.Length, (part + 1) * size)));
            }

            return present.AsSpan().Contains(false) ? entries.Where((_, i) => present[i]).ToArray() : entries;
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    private static unsafe void StatRange(int descriptor, string[] names, FtpEntry[] entries, bool[] present, int from, int to)
    {
        Span<byte> name = stackalloc byte[1024];
        byte* facts = stackalloc byte[StatxSize];
        for (var i = from; i < to; i++)
        {
            var count = Encoding.UTF8.GetByteCount(names[i]);
            if (count >= name.Length)
            {
                continue;
            }

            Encoding.UTF8.GetBytes(names[i], name);
            name[count] = 0;
            fixed (byte* path = name)
            {
                if (Statx(descriptor, path, AtSymlinkNoFollow, StatxWanted, facts) != 0)
                {
                    continue;
                }
            }

            var view = new ReadOnlySpan<byte>(facts, StatxSize);
            // struct statx (linux/stat.h), the same layout on every architecture, in native byte order.
            var mode = MemoryMarshal.Read<ushort>(view[28..]);
            var type = mode & FileTypeMask;
            var seconds = MemoryMarshal.Read<long>(view[112..]);
            var nanoseconds = MemoryMarshal.Read<uint>(view[120..]);
            var modified = DateTime.UnixEpoch.AddTicks((seconds * TimeSpan.TicksPerSecond) + (nanoseconds / 100));
            var isDirectory = type == DirectoryType;
            entries[i] = new FtpEntry(
                names[i],
                isDirectory,
                type == LinkType,
                isDirectory ? 4096 : MemoryMarshal.Read<long>(view[40..]),
                modified,
                (UnixFileMode)(mode & 0xFFF))
            {
                Links = MemoryMarshal.Read<uint>(view[16..]),
            };
            present[i] = true;
        }
    }

    private static FtpEntry[] ReadManaged(string directory)
    {
        var entries = new FileSystemEnumerable<FtpEntry>(directory, static (ref FileSystemEntry entry) =>
        {
            var info = entry.ToFileSystemInfo();
            var isLink = info.LinkTarget is not null;
            var isDirectory = !isLink && entry.IsDirectory;
            return new FtpEntry(
                entry.FileName.ToString(),
                isDirectory,
                isLink,
                isDirectory || isLink ? 4096 : entry.Length,
                entry.LastWriteTimeUtc.UtcDateTime,
                OperatingSystem.IsWindows() ? LocalFtpFileSystem.DefaultMode(isDirectory) : info.UnixFileMode);
        }, NamesOnly).ToArray();
        Array.Sort(entries, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return entries;
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int descriptor);

    [LibraryImport("libc", EntryPoint = "statx")]
    private static unsafe partial int Statx(int directory, byte* path, int flags, uint mask, byte* result);
}
