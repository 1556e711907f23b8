namespace GoplNet.Ftp.Storage;

/// <summary>One directory entry: what LIST, MLSD, MLST, SIZE and MDTM report.</summary>
/// <param name="Name">The entry's name within its directory (no slash).</param>
/// <param name="IsDirectory">Whether it is a directory.</param>
/// <param name="IsLink">Whether it is a symbolic link (shown as one; its type is the target's when the storage follows it).</param>
/// <param name="Length">The size in bytes (for a directory, whatever the storage reports).</param>
/// <param name="LastWriteTimeUtc">The modification time, in UTC.</param>
/// <param name="Mode">The Unix permission bits shown in listings (<c>rw-r--r--</c> for a storage that keeps none).</param>
public readonly record struct FtpEntry(string Name, bool IsDirectory, bool IsLink, long Length, DateTime LastWriteTimeUtc, UnixFileMode Mode)
{
    /// <summary>The number of hard links (1 when the storage does not say).</summary>
    public uint Links { get; init; } = 1;

    /// <summary>The same text for two names of one file (MLST's <c>unique</c> fact), or <see langword="null"/> when the storage does not say.</summary>
    public string? Unique { get; init; }

    /// <summary>The owner's user id, or <see langword="null"/> when the storage does not say.</summary>
    public uint? UserId { get; init; }

    /// <summary>The owner's group id, or <see langword="null"/> when the storage does not say.</summary>
    public uint? GroupId { get; init; }

    /// <summary>The mode a storage without permission bits shows: <c>rwxr-xr-x</c> for directories, <c>rw-r--r--</c> for files.</summary>
    /// <param name="directory">Whether the entry is a directory.</param>
    /// <returns>The mode.</returns>
    public static UnixFileMode DefaultMode(bool directory) => (UnixFileMode)(directory ? 0b111_101_101 : 0b110_100_100);
}
