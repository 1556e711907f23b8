namespace GoplNet.Ftp.Storage;

/// <summary>
/// The storage a session serves, seen through virtual paths: <c>/</c> is the server's root and
/// every path is already resolved lexically by <see cref="FtpPath.Resolve"/>. An implementation
/// keeps every operation inside its root (the local one also checks where symbolic links lead).
/// Failures are exceptions: <see cref="FileNotFoundException"/>, <see cref="DirectoryNotFoundException"/>,
/// <see cref="UnauthorizedAccessException"/> (outside the root or not permitted) or another
/// <see cref="IOException"/>; sessions turn them into 550 replies.
/// </summary>
internal interface IFtpFileSystem
{
    /// <summary>What the root is, for logs (a local directory's full path).</summary>
    string Description { get; }

    /// <summary>The entry at <paramref name="path"/>, or <see langword="null"/> when there is none (or it lies outside the root).</summary>
    FtpEntry? Stat(string path);

    /// <summary>The entries of the directory at <paramref name="path"/> in ordinal name order, or <see langword="null"/> when it is not a directory.</summary>
    IReadOnlyList<FtpEntry>? List(string path);

    /// <summary>
    /// Opens a file for reading, checked once: a transfer reads from this stream, never from the
    /// path again. A <see cref="FileStream"/> lets binary downloads use the kernel's zero-copy send.
    /// </summary>
    Stream OpenRead(string path);

    /// <summary>
    /// Begins an upload. <see cref="FtpUploadMode.Replace"/> writes to a temporary name that
    /// <see cref="FtpUpload.CommitAsync"/> renames over <paramref name="path"/>, so a half-written
    /// file is never visible under its name; append and resume write in place.
    /// </summary>
    FtpUpload BeginUpload(string path, FtpUploadMode mode, long offset, UnixFileMode fileMode);

    /// <summary>Deletes a file.</summary>
    void DeleteFile(string path);

    /// <summary>Creates a directory; an existing entry of that name is an <see cref="IOException"/>.</summary>
    void CreateDirectory(string path);

    /// <summary>Removes an empty directory.</summary>
    void RemoveDirectory(string path);

    /// <summary>Renames a file or a directory; a file replaces an existing file of the new name.</summary>
    void Rename(string from, string to);

    /// <summary>Sets the modification time of a file or directory (MFMT).</summary>
    void SetLastWriteTime(string path, DateTime lastWriteTimeUtc);

    /// <summary>Sets the permission bits of a file or directory (SITE CHMOD); set-user-ID and set-group-ID never reach here.</summary>
    void SetMode(string path, UnixFileMode mode);
}

/// <summary>One directory entry: what LIST, MLSD, MLST, SIZE and MDTM report.</summary>
internal readonly record struct FtpEntry(string Name, bool IsDirectory, bool IsLink, long Length, DateTime LastWriteTimeUtc, UnixFileMode Mode)
{
    /// <summary>The number of hard links (1 when the storage does not say).</summary>
    public uint Links { get; init; } = 1;

    /// <summary>The same text for two names of one file (MLST's <c>unique</c> fact), or <see langword="null"/> when the storage does not say.</summary>
    public string? Unique { get; init; }

    /// <summary>The owner's user id, or <see langword="null"/> when the storage does not say.</summary>
    public uint? UserId { get; init; }

    /// <summary>The owner's group id, or <see langword="null"/> when the storage does not say.</summary>
    public uint? GroupId { get; init; }
}

/// <summary>How an upload treats an existing file.</summary>
internal enum FtpUploadMode
{
    /// <summary>STOR and STOU: a new file replaces the old one when complete.</summary>
    Replace,

    /// <summary>APPE: write after the existing content.</summary>
    Append,

    /// <summary>REST then STOR: overwrite from the offset and cut what followed.</summary>
    Resume,

    /// <summary>STOU: like <see cref="Replace"/>, but the commit fails rather than replace a file that appeared meanwhile.</summary>
    CreateNew,
}

/// <summary>An upload in progress: the bytes go to <see cref="Stream"/>; commit makes them the file, disposing without commit discards a replacement.</summary>
internal abstract class FtpUpload : IAsyncDisposable
{
    /// <summary>Where the received bytes go.</summary>
    public abstract Stream Stream { get; }

    /// <summary>Makes the upload the file at its path.</summary>
    public abstract ValueTask CommitAsync(CancellationToken cancellationToken);

    /// <summary>Closes the upload; an uncommitted replacement leaves the previous file (or no file) and no temporary file.</summary>
    public abstract ValueTask DisposeAsync();
}
