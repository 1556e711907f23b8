using System.Runtime.InteropServices;
using GoplNet.Interop;

namespace GoplNet.Ftp.Storage;

/// <summary>
/// A local directory tree as FTP storage, jailed: every virtual path is mapped under the root and
/// checked after resolving symbolic links, and a link is followed only while its target stays
/// inside the root, so nothing outside it is ever opened, listed, written, renamed or removed.
/// Uploads go to a hidden temporary file beside the target (<c>.name.*.part</c>) that is renamed
/// over it when complete. Every capability is supported; downloads are <see cref="FileStream"/>s
/// (zero-copy send).
/// </summary>
public sealed class LocalFtpFileSystem : IFtpFileSystem
{
    private readonly string _realRoot;
    private readonly UnixFileMode _uploadFileMode;

    /// <summary>Serves an existing local directory.</summary>
    /// <param name="root">The directory clients see as <c>/</c>.</param>
    /// <param name="uploadFileMode">The permission bits of uploaded files. Default <c>rw-r--r--</c> (0644).</param>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    public LocalFtpFileSystem(string root, UnixFileMode uploadFileMode = (UnixFileMode)0b110_100_100)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        _uploadFileMode = uploadFileMode;
        var full = Path.GetFullPath(root);
        if (!Directory.Exists(full))
        {
            throw new DirectoryNotFoundException($"The FTP root '{root}' does not exist.");
        }

        Root = full.Length > 1 ? full.TrimEnd('/') : full;
        _realRoot = RealPath(full) ?? Root;
    }

    /// <summary>The root directory's full path.</summary>
    public string Root { get; }

    /// <inheritdoc/>
    public string Description => Root;

    /// <inheritdoc/>
    public FtpStorageCapabilities Capabilities =>
        FtpStorageCapabilities.Append | FtpStorageCapabilities.Resume | FtpStorageCapabilities.AtomicRename
        | FtpStorageCapabilities.SetLastWriteTime | (OperatingSystem.IsWindows() ? 0 : FtpStorageCapabilities.SetMode);

    /// <summary>The local path of a virtual path, or <see langword="null"/> when it would lead outside the root (through a link).</summary>
    internal string? ToLocal(string virtualPath)
    {
        var local = virtualPath == "/" ? Root : Root.TrimEnd('/') + virtualPath;
        return IsInsideRoot(local) ? local : null;
    }

    /// <inheritdoc/>
    public ValueTask<FtpEntry?> GetEntryAsync(string path, CancellationToken cancellationToken) => ValueTask.FromResult(Stat(path));

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<FtpEntry>?> ListAsync(string path, CancellationToken cancellationToken) => ValueTask.FromResult(List(path));

    /// <inheritdoc/>
    public ValueTask<Stream> OpenReadAsync(string path, long offset, CancellationToken cancellationToken)
    {
        var file = OpenRead(path);
        file.Position = offset;
        return ValueTask.FromResult<Stream>(file);
    }

    /// <inheritdoc/>
    public ValueTask<FtpUpload> BeginUploadAsync(string path, FtpUploadMode mode, long offset, CancellationToken cancellationToken) =>
        ValueTask.FromResult<FtpUpload>(BeginUpload(path, mode, offset));

    /// <inheritdoc/>
    public ValueTask DeleteFileAsync(string path, CancellationToken cancellationToken) => Run(path, DeleteFile);

    /// <inheritdoc/>
    public ValueTask CreateDirectoryAsync(string path, CancellationToken cancellationToken) => Run(path, CreateDirectory);

    /// <inheritdoc/>
    public ValueTask RemoveDirectoryAsync(string path, CancellationToken cancellationToken) => Run(path, RemoveDirectory);

    /// <inheritdoc/>
    public ValueTask RenameAsync(string path, string newPath, CancellationToken cancellationToken) => Run(path, p => Rename(p, newPath));

    /// <inheritdoc/>
    public ValueTask SetLastWriteTimeAsync(string path, DateTime lastWriteTimeUtc, CancellationToken cancellationToken) =>
        Run(path, p => SetLastWriteTime(p, lastWriteTimeUtc));

    /// <inheritdoc/>
    public ValueTask SetModeAsync(string path, UnixFileMode mode, CancellationToken cancellationToken) => Run(path, p => SetMode(p, mode));

    /// <summary>A home directory as its own jail: links are checked against the home, not only the server's root.</summary>
    /// <param name="path">The directory's virtual path.</param>
    /// <returns>The storage rooted there.</returns>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist inside the root.</exception>
    public IFtpFileSystem GetSubtree(string path) =>
        path == "/" ? this : new LocalFtpFileSystem(ToLocal(path) ?? throw new DirectoryNotFoundException("The home directory is outside the root."), _uploadFileMode);

    /// <summary>Local operations complete before they return: a failure becomes a faulted task, as an asynchronous storage's would.</summary>
    private static ValueTask Run(string path, Action<string> operation)
    {
        try
        {
            operation(path);
            return ValueTask.CompletedTask;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return ValueTask.FromException(e);
        }
    }

    internal FtpEntry? Stat(string path)
    {
        if (ToLocal(path) is not { } local)
        {
            return null;
        }

        var name = FtpPath.NameOf(path);
        var native = LocalFtpDirectoryReader.Stat(local, name, out var available);
        if (available)
        {
            return native;
        }

        FileSystemInfo info = new FileInfo(local);
        if (!info.Exists)
        {
            info = new DirectoryInfo(local);
            if (!info.Exists)
            {
                return null;
            }
        }

        return Entry(info, name);
    }

    internal IReadOnlyList<FtpEntry>? List(string path)
    {
        if (ToLocal(path) is not { } local || !Directory.Exists(local))
        {
            return null;
        }

        // A link is listed as a link; it is followed (for its type, size and time) only while its target stays inside the root.
        var entries = LocalFtpDirectoryReader.Read(local);
        for (var i = 0; i < entries.Length; i++)
        {
            if (entries[i].IsLink && Stat(path == "/" ? "/" + entries[i].Name : path + "/" + entries[i].Name) is { } target)
            {
                entries[i] = target with { IsLink = true };
            }
        }

        return entries;
    }

    internal FileStream OpenRead(string path)
    {
        var local = Checked(path);
        if (Directory.Exists(local))
        {
            throw new UnauthorizedAccessException("A directory cannot be retrieved.");
        }

        return new FileStream(local, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.Asynchronous);
    }

    private LocalUpload BeginUpload(string path, FtpUploadMode mode, long offset)
    {
        var local = Checked(path);
        if (path == "/" || Directory.Exists(local) || !Directory.Exists(Path.GetDirectoryName(local)))
        {
            throw new IOException("Not a file name in an existing directory.");
        }

        return new LocalUpload(local, mode, offset, _uploadFileMode);
    }

    private void DeleteFile(string path)
    {
        var local = Checked(path);
        if (!File.Exists(local))
        {
            throw new FileNotFoundException("No such file.");
        }

        File.Delete(local);
    }

    private void CreateDirectory(string path)
    {
        var local = Checked(path);
        if (Path.Exists(local) || IsLink(local))
        {
            throw new IOException("The name exists.");
        }

        // One level, as mkdir(2): a missing parent is an error, not created on the way.
        if (!Directory.Exists(Path.GetDirectoryName(local)))
        {
            throw new DirectoryNotFoundException("No such parent directory.");
        }

        Directory.CreateDirectory(local);
    }

    private void RemoveDirectory(string path)
    {
        var local = Checked(path);
        if (path == "/" || !Directory.Exists(local))
        {
            throw new DirectoryNotFoundException("No such directory.");
        }

        Directory.Delete(local);
    }

    private void Rename(string from, string to)
    {
        var source = Checked(from);
        var destination = Checked(to);
        if (from == "/" || to == "/")
        {
            throw new UnauthorizedAccessException("The root cannot be renamed.");
        }

        if (Directory.Exists(source))
        {
            Directory.Move(source, destination);
        }
        else if (File.Exists(source))
        {
            File.Move(source, destination, overwrite: true);
        }
        else
        {
            throw new FileNotFoundException("No such file or directory.");
        }
    }

    private void SetLastWriteTime(string path, DateTime lastWriteTimeUtc)
    {
        var local = Checked(path);
        if (Directory.Exists(local))
        {
            Directory.SetLastWriteTimeUtc(local, lastWriteTimeUtc);
        }
        else if (File.Exists(local))
        {
            File.SetLastWriteTimeUtc(local, lastWriteTimeUtc);
        }
        else
        {
            throw new FileNotFoundException("No such file or directory.");
        }
    }

    private void SetMode(string path, UnixFileMode mode)
    {
        var local = Checked(path);
        if (OperatingSystem.IsWindows())
        {
            throw new IOException("Windows has no Unix permission bits.");
        }

        if (!Path.Exists(local))
        {
            throw new FileNotFoundException("No such file or directory.");
        }

        File.SetUnixFileMode(local, mode);
    }

    private string Checked(string path) => ToLocal(path) ?? throw new UnauthorizedAccessException("Outside the root.");

    private static FtpEntry Entry(FileSystemInfo info, string name) => new(
        name,
        info is DirectoryInfo,
        info.LinkTarget is not null,
        info is FileInfo file ? file.Length : 4096,
        info.LastWriteTimeUtc,
        OperatingSystem.IsWindows() ? FtpEntry.DefaultMode(info is DirectoryInfo) : info.UnixFileMode);

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
        return real is not null && (real == _realRoot || real.StartsWith(_realRoot.TrimEnd('/') + "/", StringComparison.Ordinal));
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

        var resolved = LibC.RealPath(path, IntPtr.Zero);
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
            LibC.Free(resolved);
        }
    }



    /// <summary>A local upload: a temporary file beside the target (renamed on commit) or the target itself (append, resume).</summary>
    private sealed class LocalUpload : FtpUpload
    {
        private readonly string _path;
        private readonly string? _temporary;
        private readonly FtpUploadMode _mode;
        private readonly FileStream _file;
        private bool _committed;

        public LocalUpload(string path, FtpUploadMode mode, long offset, UnixFileMode fileMode)
        {
            _path = path;
            _mode = mode;
            _temporary = mode is FtpUploadMode.Replace or FtpUploadMode.CreateNew
                ? Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.part")
                : null;
            _file = new FileStream(_temporary ?? path, _temporary is null ? FileMode.OpenOrCreate : FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None);
            try
            {
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(_file.SafeFileHandle, fileMode);
                }

                _file.Position = mode switch
                {
                    FtpUploadMode.Append => _file.Length,
                    FtpUploadMode.Resume => Math.Min(offset, _file.Length),
                    _ => 0,
                };
            }
            catch
            {
                _file.Dispose();
                Discard();
                throw;
            }
        }

        public override Stream Stream => _file;

        public override async ValueTask<Stream> OpenReadAsync(CancellationToken cancellationToken)
        {
            await _file.FlushAsync(cancellationToken).ConfigureAwait(false);
            return new FileStream(_temporary ?? _path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.Asynchronous);
        }

        public override async ValueTask CommitAsync(CancellationToken cancellationToken)
        {
            if (_mode == FtpUploadMode.Resume)
            {
                // Resuming replaces what followed the restart point.
                _file.SetLength(_file.Position);
            }

            await _file.FlushAsync(cancellationToken).ConfigureAwait(false);
            await _file.DisposeAsync().ConfigureAwait(false);
            if (_temporary is not null)
            {
                File.Move(_temporary, _path, overwrite: _mode != FtpUploadMode.CreateNew);
            }

            _committed = true;
        }

        protected override async ValueTask DisposeAsyncCore()
        {
            await _file.DisposeAsync().ConfigureAwait(false);
            if (!_committed)
            {
                Discard();
            }
        }

        private void Discard()
        {
            if (_temporary is not null)
            {
                try
                {
                    File.Delete(_temporary);
                }
                catch (IOException)
                {
                    // Nothing more can be done; the name starts with a dot and ends in .part.
                }
            }
        }
    }
}
