namespace GoplNet.Ftp.Storage;

/// <summary>What a session sees before login: nothing (the dispatcher lets no storage command through, so none of this is reached).</summary>
internal sealed class NoStorage : IFtpFileSystem
{
    public static IFtpFileSystem Instance { get; } = new NoStorage();

    public string Description => "none";

    public FtpStorageCapabilities Capabilities => FtpStorageCapabilities.None;

    public ValueTask<FtpEntry?> GetEntryAsync(string path, CancellationToken cancellationToken) => ValueTask.FromResult<FtpEntry?>(null);

    public ValueTask<IReadOnlyList<FtpEntry>?> ListAsync(string path, CancellationToken cancellationToken) => ValueTask.FromResult<IReadOnlyList<FtpEntry>?>(null);

    public ValueTask<Stream> OpenReadAsync(string path, long offset, CancellationToken cancellationToken) => throw Denied();

    public ValueTask<FtpUpload> BeginUploadAsync(string path, FtpUploadMode mode, long offset, CancellationToken cancellationToken) => throw Denied();

    public ValueTask DeleteFileAsync(string path, CancellationToken cancellationToken) => throw Denied();

    public ValueTask CreateDirectoryAsync(string path, CancellationToken cancellationToken) => throw Denied();

    public ValueTask RemoveDirectoryAsync(string path, CancellationToken cancellationToken) => throw Denied();

    public ValueTask RenameAsync(string path, string newPath, CancellationToken cancellationToken) => throw Denied();

    private static UnauthorizedAccessException Denied() => new("Not logged in.");
}
