using System.Globalization;
using System.IO.Enumeration;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using GoplNet.Interop;

namespace GoplNet.Ftp.Storage;

/// <summary>
/// Reads a directory's entries with their facts for listings. On Linux each entry costs one
/// statx(2) relative to the open directory (a one-component lookup, not the whole path again),
/// and the calls for a large directory are spread over the cores; elsewhere it falls back to
/// .NET's enumeration. Links are reported as links and never followed here.
/// </summary>
internal static class LocalFtpDirectoryReader
{
    private const int ParallelThreshold = 1024;
    private const int AtSymlinkNoFollow = 0x100;
    private const int OpenReadOnlyCloseOnExec = 0x80000;
    private const uint StatxWanted = 0x1 | 0x2 | 0x4 | 0x8 | 0x10 | 0x40 | 0x100 | 0x200; // TYPE, MODE, NLINK, UID, GID, MTIME, INO, SIZE
    private const int CurrentDirectory = -100; // AT_FDCWD
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
        var descriptor = LibC.Open(directory, OpenReadOnlyCloseOnExec);
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
                // Several parts a core, taken as the cores come free: a core busy with something else does not hold the listing up.
                var parts = Math.Min(names.Length / (ParallelThreshold / 2), Environment.ProcessorCount * 4);
                var size = (names.Length + parts - 1) / parts;
                Parallel.For(0, parts, part => StatRange(descriptor, names, entries, present, part * size, Math.Min(names.Length, (part + 1) * size)));
            }

            return present.AsSpan().Contains(false) ? entries.Where((_, i) => present[i]).ToArray() : entries;
        }
        finally
        {
            _ = LibC.Close(descriptor);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
                if (LibC.Statx(descriptor, path, AtSymlinkNoFollow, StatxWanted, facts) != 0)
                {
                    continue;
                }
            }

            entries[i] = Decode(new ReadOnlySpan<byte>(facts, StatxSize), names[i]);
            present[i] = true;
        }
    }

    /// <summary>
    /// The entry at a local path, following a final link (reported as a link); <see langword="null"/>
    /// when nothing is there. Only on Linux with statx: elsewhere <see langword="null"/> too, and
    /// <paramref name="available"/> says to use .NET's file information instead.
    /// </summary>
    public static unsafe FtpEntry? Stat(string local, string name, out bool available)
    {
        available = !Volatile.Read(ref _nativeUnavailable);
        if (!available)
        {
            return null;
        }

        var count = Encoding.UTF8.GetByteCount(local);
        var path = count < 1024 ? stackalloc byte[count + 1] : new byte[count + 1];
        Encoding.UTF8.GetBytes(local, path);
        path[count] = 0;
        byte* facts = stackalloc byte[StatxSize];
        try
        {
            fixed (byte* p = path)
            {
                if (LibC.Statx(CurrentDirectory, p, AtSymlinkNoFollow, StatxWanted, facts) != 0)
                {
                    return null;
                }

                var view = new ReadOnlySpan<byte>(facts, StatxSize);
                if ((MemoryMarshal.Read<ushort>(view[28..]) & FileTypeMask) != LinkType)
                {
                    return Decode(view, name);
                }

                return LibC.Statx(CurrentDirectory, p, 0, StatxWanted, facts) == 0 ? Decode(view, name) with { IsLink = true } : null;
            }
        }
        catch (EntryPointNotFoundException)
        {
            Volatile.Write(ref _nativeUnavailable, true);
            available = false;
            return null;
        }
    }

    /// <summary>An entry from a struct statx (linux/stat.h: the same layout on every architecture, in native byte order).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static FtpEntry Decode(ReadOnlySpan<byte> view, string name)
    {
        var mode = MemoryMarshal.Read<ushort>(view[28..]);
        var type = mode & FileTypeMask;
        var seconds = MemoryMarshal.Read<long>(view[112..]);
        var nanoseconds = MemoryMarshal.Read<uint>(view[120..]);
        var isDirectory = type == DirectoryType;
        return new FtpEntry(
            name,
            isDirectory,
            type == LinkType,
            isDirectory ? 4096 : MemoryMarshal.Read<long>(view[40..]),
            DateTime.UnixEpoch.AddTicks((seconds * TimeSpan.TicksPerSecond) + (nanoseconds / 100)),
            (UnixFileMode)(mode & 0xFFF))
        {
            Links = MemoryMarshal.Read<uint>(view[16..]),
            UserId = MemoryMarshal.Read<uint>(view[20..]),
            GroupId = MemoryMarshal.Read<uint>(view[24..]),
            Unique = string.Create(CultureInfo.InvariantCulture,
                $"{MemoryMarshal.Read<uint>(view[136..]):x}.{MemoryMarshal.Read<uint>(view[140..]):x}U{MemoryMarshal.Read<ulong>(view[32..]):x}"),
        };
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
                OperatingSystem.IsWindows() ? FtpEntry.DefaultMode(isDirectory) : info.UnixFileMode);
        }, NamesOnly).ToArray();
        Array.Sort(entries, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return entries;
    }



}
