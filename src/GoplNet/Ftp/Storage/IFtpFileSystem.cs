namespace GoplNet.Ftp.Storage;

/// <summary>
/// The storage an FTP session serves, seen through virtual paths: <c>/</c> is the root and every
/// path arrives absolute and already resolved lexically (no <c>.</c> or <c>..</c> segments, no
/// trailing slash, <c>/</c> as the separator). An implementation keeps every operation inside its
/// root whatever the path says.
/// </summary>
/// <remarks>
/// <para>
/// Failures are exceptions the session turns into replies: <see cref="FileNotFoundException"/> and
/// <see cref="DirectoryNotFoundException"/> (550, no such file), <see cref="UnauthorizedAccessException"/>
/// (550, outside the root or not permitted), <see cref="NotSupportedException"/> (502/504, the
/// storage cannot do that) and any other <see cref="IOException"/> (550, or 552 for a full disk).
/// </para>
/// <para>
/// What a storage can do beyond the basics is discovered, not assumed: <see cref="Capabilities"/>
/// says whether it appends, resumes, renames atomically and sets times or modes (the server leaves
/// MFMT out of FEAT and answers APPE or REST+STOR with 504 when the storage cannot do them), and a
/// download whose stream is a <see cref="FileStream"/> is sent with the kernel's zero-copy send.
/// </para>
/// <para>
/// Uploads become visible under their name only when complete: <see cref="BeginUploadAsync"/>
/// returns an <see cref="FtpUpload"/> whose bytes appear at the path when
/// <see cref="FtpUpload.CommitAsync"/> succeeds; an upload disposed without commit leaves the
/// previous file (or none). Every method may be called from many sessions at once.
/// </para>
/// </remarks>
public interface IFtpFileSystem
{
    /// <summary>What the root is, for logs (a local directory's full path, a bucket's name).</summary>
    string Description { get; }

    /// <summary>The optional operations this storage supports.</summary>
    FtpStorageCapabilities Capabilities { get; }

    /// <summary>The entry at a path, or <see langword="null"/> when there is none (or it lies outside the root).</summary>
    /// <param name="path">The entry's virtual path; <c>/</c> is the root directory.</param>
    /// <param name="cancellationToken">Ends the wait.</param>
    /// <returns>The entry, its <see cref="FtpEntry.Name"/> being the path's last segment (<c>/</c> for the root).</returns>
    ValueTask<FtpEntry?> GetEntryAsync(string path, CancellationToken cancellationToken);

    /// <summary>The entries of a directory, or <see langword="null"/> when the path is not a directory.</summary>
    /// <param name="path">The directory's virtual path.</param>
    /// <param name="cancellationToken">Ends the wait.</param>
    /// <returns>Every entry of the directory (not <c>.</c> and <c>..</c>), in ordinal name order.</returns>
    ValueTask<IReadOnlyList<FtpEntry>?> ListAsync(string path, CancellationToken cancellationToken);

    /// <summary>
    /// Opens a file for reading from an offset. A transfer reads from this stream only, never from
    /// the path again; the session disposes it. A <see cref="FileStream"/> lets binary downloads
    /// use the kernel's zero-copy send.
    /// </summary>
    /// <param name="path">The file's virtual path.</param>
    /// <param name="offset">Where reading starts (REST); never past the file's length.</param>
    /// <param name="cancellationToken">Ends the wait.</param>
    /// <returns>A readable stream positioned at <paramref name="offset"/>.</returns>
    ValueTask<Stream> OpenReadAsync(string path, long offset, CancellationToken cancellationToken);

    /// <summary>Begins an upload to a file in an existing directory.</summary>
    /// <param name="path">The file's virtual path.</param>
    /// <param name="mode">How the upload treats an existing file.</param>
    /// <param name="offset">For <see cref="FtpUploadMode.Resume"/>, where writing starts; 0 otherwise.</param>
    /// <param name="cancellationToken">Ends the wait.</param>
    /// <returns>The upload: write to its stream, then commit it.</returns>
    ValueTask<FtpUpload> BeginUploadAsync(string path, FtpUploadMode mode, long offset, CancellationToken cancellationToken);

    /// <summary>Deletes a file.</summary>
    /// <param name="path">The file's virtual path.</param>
    /// <param name="cancellationToken">Ends the wait.</param>
    /// <returns>When the file is gone.</returns>
    ValueTask DeleteFileAsync(string path, CancellationToken cancellationToken);

    /// <summary>Creates one directory in an existing parent; an existing entry of that name is an <see cref="IOException"/>.</summary>
    /// <param name="path">The new directory's virtual path.</param>
    /// <param name="cancellationToken">Ends the wait.</param>
    /// <returns>When the directory exists.</returns>
    ValueTask CreateDirectoryAsync(string path, CancellationToken cancellationToken);

    /// <summary>Removes an empty directory; a directory with entries is an <see cref="IOException"/>.</summary>
    /// <param name="path">The directory's virtual path.</param>
    /// <param name="cancellationToken">Ends the wait.</param>
    /// <returns>When the directory is gone.</returns>
    ValueTask RemoveDirectoryAsync(string path, CancellationToken cancellationToken);

    /// <summary>Renames a file or a directory; a file replaces an existing file of the new name.</summary>
    /// <param name="path">The entry's virtual path.</param>
    /// <param name="newPath">Its new virtual path, in an existing directory.</param>
    /// <param name="cancellationToken">Ends the wait.</param>
    /// <returns>When the entry has its new name.</returns>
    ValueTask RenameAsync(string path, string newPath, CancellationToken cancellationToken);

    /// <summary>Sets the modification time of a file or directory (MFMT); only called with <see cref="FtpStorageCapabilities.SetLastWriteTime"/>.</summary>
    /// <param name="path">The entry's virtual path.</param>
    /// <param name="lastWriteTimeUtc">The new time, in UTC.</param>
    /// <param name="cancellationToken">Ends the wait.</param>
    /// <returns>When the time is set.</returns>
    ValueTask SetLastWriteTimeAsync(string path, DateTime lastWriteTimeUtc, CancellationToken cancellationToken) =>
        throw new NotSupportedException("This storage keeps no modification times of its own.");

    /// <summary>Sets the permission bits of a file or directory (SITE CHMOD; never set-user-ID or set-group-ID); only called with <see cref="FtpStorageCapabilities.SetMode"/>.</summary>
    /// <param name="path">The entry's virtual path.</param>
    /// <param name="mode">The new permission bits.</param>
    /// <param name="cancellationToken">Ends the wait.</param>
    /// <returns>When the mode is set.</returns>
    ValueTask SetModeAsync(string path, UnixFileMode mode, CancellationToken cancellationToken) =>
        throw new NotSupportedException("This storage keeps no permission bits.");

    /// <summary>
    /// The directory at a path as a storage of its own, whose <c>/</c> it is: a user's home. The
    /// default view prefixes every path; an implementation overrides it when it has a stronger
    /// jail (the local one checks symbolic links against the home, not only the server's root).
    /// </summary>
    /// <param name="path">The directory's virtual path; <c>/</c> returns this storage.</param>
    /// <returns>The storage rooted at <paramref name="path"/>.</returns>
    IFtpFileSystem GetSubtree(string path) => path == "/" ? this : new FtpSubtreeFileSystem(this, path);
}
