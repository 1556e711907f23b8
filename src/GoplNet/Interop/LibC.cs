using System.Runtime.InteropServices;

namespace GoplNet.Interop;

/// <summary>
/// Every call into the C library, in one place: what .NET does not offer without allocating or
/// throwing. Each caller checks the platform first; none of these is reached on Windows.
/// </summary>
internal static unsafe partial class LibC
{
    /// <summary>open(2); -1 on failure (errno in <see cref="Marshal.GetLastPInvokeError"/>).</summary>
    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Open(string path, int flags);

    /// <summary>close(2).</summary>
    [LibraryImport("libc", EntryPoint = "close")]
    public static partial int Close(int descriptor);

    /// <summary>dup(2): a new descriptor for the same file, or -1 (at the open-file limit).</summary>
    [LibraryImport("libc", EntryPoint = "dup")]
    public static partial int Dup(int descriptor);

    /// <summary>statx(2) (glibc 2.28+): the facts of a directory entry without allocating.</summary>
    [LibraryImport("libc", EntryPoint = "statx")]
    public static partial int Statx(int directory, byte* path, int flags, uint mask, byte* result);

    /// <summary>realpath(3): a path with every link resolved, in memory the caller frees with <see cref="Free"/>; zero when it cannot be resolved.</summary>
    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr RealPath(string path, IntPtr resolved);

    /// <summary>pipe2(2): a pipe's read and write descriptors in <paramref name="descriptors"/>; -1 on failure.</summary>
    [LibraryImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    public static partial int Pipe2(int* descriptors, int flags);

    /// <summary>fcntl(2) with an integer argument (F_SETPIPE_SZ here); -1 on failure.</summary>
    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    public static partial int Fcntl(int descriptor, int command, int argument);

    /// <summary>splice(2) (Linux): moves bytes between a descriptor and a pipe inside the kernel; -1 on failure.</summary>
    [LibraryImport("libc", EntryPoint = "splice", SetLastError = true)]
    public static partial nint Splice(int input, long* inputOffset, int output, long* outputOffset, nuint length, uint flags);

    /// <summary>pwrite(2): writes at <paramref name="offset"/> without moving the descriptor's position; the count written, or -1 on failure.</summary>
    [LibraryImport("libc", EntryPoint = "pwrite", SetLastError = true)]
    public static partial nint PWrite(int descriptor, byte* buffer, nuint count, long offset);

    /// <summary>fstatfs(2): the file system of an open file into <paramref name="buffer"/> (struct statfs; on 64-bit Linux its first field is the type, a long); -1 on failure.</summary>
    [LibraryImport("libc", EntryPoint = "fstatfs", SetLastError = true)]
    public static partial int FStatFs(int descriptor, byte* buffer);

    /// <summary>free(3).</summary>
    [LibraryImport("libc", EntryPoint = "free")]
    public static partial void Free(IntPtr pointer);
}
