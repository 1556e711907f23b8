namespace GoplNet.Ftp.Storage;

/// <summary>
/// FTP storage held in memory: a fixture for testing FTP clients, or a scratch area that vanishes
/// with the process. Seed it with <see cref="WriteAllBytes"/> and read what clients uploaded with
/// <see cref="ReadAllBytes"/>; every capability is supported, renames are atomic, and an upload
/// replaces a file only when it completes.
/// </summary>
/// <example>
/// <code>
/// var files = new InMemoryFtpFileSystem();
/// files.WriteAllBytes("/pub/hello.txt", "hello\n"u8);
/// var options = new FtpServerOptions { Port = 0, FileSystem = files, AllowAnonymous = true };
/// </code>
/// </example>
public sealed class InMemoryFtpFileSystem : IFtpFileSystem
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _timeProvider;
    private readonly Node _root;
    private long _nextId;

    /// <summary>An empty storage whose modification times come from <paramref name="timeProvider"/>.</summary>
    /// <param name="timeProvider">The clock for modification times. Default: the system clock.</param>
    public InMemoryFtpFileSystem(TimeProvider? timeProvider = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
        _root = NewDirectory();
    }

    /// <inheritdoc/>
    public string Description => "memory";

    /// <inheritdoc/>
    public FtpStorageCapabilities Capabilities =>
        FtpStorageCapabilities.Append | FtpStorageCapabilities.Resume | FtpStorageCapabilities.AtomicRename
        | FtpStorageCapabilities.SetLastWriteTime | FtpStorageCapabilities.SetMode;

    /// <summary>Writes a file, creating the directories on its way; an existing file is replaced.</summary>
    /// <param name="path">The file's absolute virtual path, such as <c>/pub/hello.txt</c>.</param>
    /// <param name="content">The file's bytes.</param>
    public void WriteAllBytes(string path, ReadOnlySpan<byte> content)
    {
        var (parentPath, name) = Split(Normalize(path));
        lock (_lock)
        {
            var parent = _root;
            foreach (var segment in parentPath.Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!parent.Children!.TryGetValue(segment, out var next))
                {
                    next = NewDirectory();
                    parent.Children[segment] = next;
                }

                parent = next.Children is not null ? next : throw new IOException($"'{segment}' is a file.");
            }

            if (parent.Children!.TryGetValue(name, out var existing) && existing.Children is not null)
            {
                throw new IOException($"'{path}' is a directory.");
            }

            parent.Children[name] = NewFile(content.ToArray());
        }
    }

    /// <summary>The bytes of a file.</summary>
    /// <param name="path">The file's absolute virtual path.</param>
    /// <returns>A copy of its content.</returns>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    public byte[] ReadAllBytes(string path)
    {
        lock (_lock)
        {
            return Find(Normalize(path)) is { Content: { } content } ? content.ToArray() : throw new FileNotFoundException("No such file.", path);
        }
    }

    /// <summary>Whether a file or directory exists at a path.</summary>
    /// <param name="path">The absolute virtual path.</param>
    /// <returns><see langword="true"/> when it exists.</returns>
    public bool Exists(string path)
    {
        lock (_lock)
        {
            return Find(Normalize(path)) is not null;
        }
    }

    /// <inheritdoc/>
    public ValueTask<FtpEntry?> GetEntryAsync(string path, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(Find(path) is { } node ? Entry(path == "/" ? "/" : Split(path).Name, node) : (FtpEntry?)null);
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<FtpEntry>?> ListAsync(string path, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<FtpEntry>? entries = Find(path) is { Children: { } children }
                ? children.Select(c => Entry(c.Key, c.Value)).ToArray()
                : null;
            return ValueTask.FromResult(entries);
        }
    }

    /// <inheritdoc/>
    public ValueTask<Stream> OpenReadAsync(string path, long offset, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            // A file's content is never changed in place (a commit swaps the array), so the stream reads a stable snapshot.
            var content = Find(path) switch
            {
                { Content: { } bytes } => bytes,
                { } => throw new UnauthorizedAccessException("A directory cannot be retrieved."),
                null => throw new FileNotFoundException("No such file."),
            };
            return ValueTask.FromResult<Stream>(new MemoryStream(content, writable: false) { Position = offset });
        }
    }

    /// <inheritdoc/>
    public ValueTask<FtpUpload> BeginUploadAsync(string path, FtpUploadMode mode, long offset, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var (parentPath, name) = Split(path);
            if (path == "/" || Find(parentPath) is not { Children: { } siblings })
            {
                throw new DirectoryNotFoundException("Not a file name in an existing directory.");
            }

            siblings.TryGetValue(name, out var existing);
            if (existing is { Children: not null })
            {
                throw new IOException("The name is a directory.");
            }

            var buffer = new MemoryStream();
            if (mode is FtpUploadMode.Append or FtpUploadMode.Resume && existing?.Content is { } old)
            {
                buffer.Write(old, 0, mode == FtpUploadMode.Append ? old.Length : (int)Math.Min(offset, old.Length));
            }

            return ValueTask.FromResult<FtpUpload>(new Upload(this, path, mode, buffer));
        }
    }

    /// <inheritdoc/>
    public ValueTask DeleteFileAsync(string path, CancellationToken cancellationToken) => Change(() =>
    {
        var (parentPath, name) = Split(path);
        if (Find(parentPath)?.Children is not { } siblings || !siblings.TryGetValue(name, out var node) || node.Content is null)
        {
            throw new FileNotFoundException("No such file.");
        }

        siblings.Remove(name);
    });

    /// <inheritdoc/>
    public ValueTask CreateDirectoryAsync(string path, CancellationToken cancellationToken) => Change(() =>
    {
        var (parentPath, name) = Split(path);
        if (Find(parentPath)?.Children is not { } siblings)
        {
            throw new DirectoryNotFoundException("No such parent directory.");
        }

        if (path == "/" || !siblings.TryAdd(name, NewDirectory()))
        {
            throw new IOException("The name exists.");
        }
    });

    /// <inheritdoc/>
    public ValueTask RemoveDirectoryAsync(string path, CancellationToken cancellationToken) => Change(() =>
    {
        var (parentPath, name) = Split(path);
        if (path == "/" || Find(parentPath)?.Children is not { } siblings || !siblings.TryGetValue(name, out var node) || node.Children is null)
        {
            throw new DirectoryNotFoundException("No such directory.");
        }

        if (node.Children.Count > 0)
        {
            throw new IOException("The directory is not empty.");
        }

        siblings.Remove(name);
    });

    /// <inheritdoc/>
    public ValueTask RenameAsync(string path, string newPath, CancellationToken cancellationToken) => Change(() =>
    {
        var (from, to) = (path, newPath);
        var (fromParent, fromName) = Split(from);
        var (toParent, toName) = Split(to);
        if (from == "/" || to == "/" || to.StartsWith(from + "/", StringComparison.Ordinal))
        {
            throw new UnauthorizedAccessException("A directory cannot move into itself, and the root cannot move.");
        }

        if (Find(fromParent)?.Children is not { } sources || !sources.TryGetValue(fromName, out var node))
        {
            throw new FileNotFoundException("No such file or directory.");
        }

        if (Find(toParent)?.Children is not { } targets)
        {
            throw new DirectoryNotFoundException("No such target directory.");
        }

        if (targets.TryGetValue(toName, out var existing) && (existing.Children is not null || node.Children is not null) && !ReferenceEquals(existing, node))
        {
            throw new IOException("The new name exists.");
        }

        sources.Remove(fromName);
        targets[toName] = node;
    });

    /// <inheritdoc/>
    public ValueTask SetLastWriteTimeAsync(string path, DateTime lastWriteTimeUtc, CancellationToken cancellationToken) =>
        Change(() => (Find(path) ?? throw new FileNotFoundException("No such file or directory.")).Modified = lastWriteTimeUtc);

    /// <inheritdoc/>
    public ValueTask SetModeAsync(string path, UnixFileMode mode, CancellationToken cancellationToken) =>
        Change(() => (Find(path) ?? throw new FileNotFoundException("No such file or directory.")).Mode = mode);

    private ValueTask Change(Action change)
    {
        try
        {
            lock (_lock)
            {
                change();
            }

            return ValueTask.CompletedTask;
        }
        catch (IOException e)
        {
            return ValueTask.FromException(e);
        }
        catch (UnauthorizedAccessException e)
        {
            return ValueTask.FromException(e);
        }
    }

    /// <summary>The node at a resolved path; the caller holds the lock.</summary>
    private Node? Find(string path)
    {
        var node = _root;
        foreach (var segment in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (node.Children is null || !node.Children.TryGetValue(segment, out node))
            {
                return null;
            }
        }

        return node;
    }

    private static (string Parent, string Name) Split(string path)
    {
        var slash = path.LastIndexOf('/');
        return (slash <= 0 ? "/" : path[..slash], path[(slash + 1)..]);
    }

    /// <summary>A path given to the seeding methods, resolved the way a session resolves a client's.</summary>
    private static string Normalize(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var resolved = FtpPath.Resolve("/", path);
        return resolved ?? throw new ArgumentException($"'{path}' is not a valid path.", nameof(path));
    }

    private Node NewDirectory() => new() { Children = new(StringComparer.Ordinal), Modified = Now(), Mode = FtpEntry.DefaultMode(true), Id = ++_nextId };

    private Node NewFile(byte[] content) => new() { Content = content, Modified = Now(), Mode = FtpEntry.DefaultMode(false), Id = ++_nextId };

    private DateTime Now() => _timeProvider.GetUtcNow().UtcDateTime;

    private static FtpEntry Entry(string name, Node node) =>
        new(name, node.Children is not null, false, node.Content?.LongLength ?? 0, node.Modified, node.Mode) { Unique = node.Id.ToString("x", System.Globalization.CultureInfo.InvariantCulture) };

    /// <summary>A file (<see cref="Content"/>) or a directory (<see cref="Children"/>, kept in ordinal name order).</summary>
    private sealed class Node
    {
        public byte[]? Content { get; set; }

        public SortedDictionary<string, Node>? Children { get; init; }

        public DateTime Modified { get; set; }

        public UnixFileMode Mode { get; set; }

        public long Id { get; init; }
    }

    /// <summary>An upload gathered in memory; the commit swaps the file's content in one step.</summary>
    private sealed class Upload(InMemoryFtpFileSystem owner, string path, FtpUploadMode mode, MemoryStream buffer) : FtpUpload
    {
        public override Stream Stream => buffer;

        public override ValueTask CommitAsync(CancellationToken cancellationToken) => owner.Change(() =>
        {
            var (parentPath, name) = Split(path);
            if (owner.Find(parentPath)?.Children is not { } siblings)
            {
                throw new DirectoryNotFoundException("The directory went away during the upload.");
            }

            if (siblings.TryGetValue(name, out var existing) && (existing.Children is not null || mode == FtpUploadMode.CreateNew))
            {
                throw new IOException("The name exists.");
            }

            siblings[name] = owner.NewFile(buffer.ToArray());
        });

        public override ValueTask<Stream> OpenReadAsync(CancellationToken cancellationToken) =>
            ValueTask.FromResult<Stream>(new MemoryStream(buffer.ToArray(), writable: false));

        protected override ValueTask DisposeAsyncCore() => buffer.DisposeAsync();
    }
}
