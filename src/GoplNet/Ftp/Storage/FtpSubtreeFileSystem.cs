namespace GoplNet.Ftp.Storage;

/// <summary>
/// A directory of another storage as a storage of its own (a user's home): every path is
/// prefixed with the directory's path. Paths arrive resolved (no <c>..</c>), so nothing outside
/// the directory can be named.
/// </summary>
internal sealed class FtpSubtreeFileSystem(IFtpFileSystem inner, string root) : IFtpFileSystem
{
    public string Description => inner.Description + root;

    public FtpStorageCapabilities Capabilities => inner.Capabilities;

    public async ValueTask<FtpEntry?> GetEntryAsync(string path, CancellationToken cancellationToken)
    {
        var entry = await inner.GetEntryAsync(Inner(path), cancellationToken).ConfigureAwait(false);
        return path == "/" && entry is { } home ? home with { Name = "/" } : entry;
    }

    public ValueTask<IReadOnlyList<FtpEntry>?> ListAsync(string path, CancellationToken cancellationToken) => inner.ListAsync(Inner(path), cancellationToken);

    public ValueTask<Stream> OpenReadAsync(string path, long offset, CancellationToken cancellationToken) => inner.OpenReadAsync(Inner(path), offset, cancellationToken);

    public ValueTask<FtpUpload> BeginUploadAsync(string path, FtpUploadMode mode, long offset, CancellationToken cancellationToken) =>
        path == "/" ? throw new IOException("Not a file name.") : inner.BeginUploadAsync(Inner(path), mode, offset, cancellationToken);

    public ValueTask DeleteFileAsync(string path, CancellationToken cancellationToken) => inner.DeleteFileAsync(Inner(path), cancellationToken);

    public ValueTask CreateDirectoryAsync(string path, CancellationToken cancellationToken) => inner.CreateDirectoryAsync(Inner(path), cancellationToken);

    public ValueTask RemoveDirectoryAsync(string path, CancellationToken cancellationToken) =>
        path == "/" ? throw new UnauthorizedAccessException("The home directory cannot be removed.") : inner.RemoveDirectoryAsync(Inner(path), cancellationToken);

    public ValueTask RenameAsync(string path, string newPath, CancellationToken cancellationToken) =>
        path == "/" || newPath == "/" ? throw new UnauthorizedAccessException("The home directory cannot be renamed.") : inner.RenameAsync(Inner(path), Inner(newPath), cancellationToken);

    public ValueTask SetLastWriteTimeAsync(string path, DateTime lastWriteTimeUtc, CancellationToken cancellationToken) =>
        inner.SetLastWriteTimeAsync(Inner(path), lastWriteTimeUtc, cancellationToken);

    public ValueTask SetModeAsync(string path, UnixFileMode mode, CancellationToken cancellationToken) => inner.SetModeAsync(Inner(path), mode, cancellationToken);

    public IFtpFileSystem GetSubtree(string path) => path == "/" ? this : inner.GetSubtree(Inner(path));

    private string Inner(string path) => path == "/" ? root : root + path;
}
