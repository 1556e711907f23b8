namespace GoplNet.Ftp.Storage;

/// <summary>
/// An upload in progress: the session writes the received bytes to <see cref="Stream"/>, then
/// commits, which makes them the file at its path. Disposing without a commit discards the upload:
/// a replacement leaves the previous file (or none) and nothing temporary behind.
/// </summary>
public abstract class FtpUpload : IAsyncDisposable
{
    /// <summary>Where the received bytes go; written sequentially by one transfer.</summary>
    public abstract Stream Stream { get; }

    /// <summary>Makes the upload the file at its path.</summary>
    /// <param name="cancellationToken">Ends the wait; the upload is then discarded.</param>
    /// <returns>When the file is visible under its name.</returns>
    public abstract ValueTask CommitAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Reads the bytes received so far, before the commit: what an upload hook scans
    /// (<see cref="Events.FtpServerEvents.OnUploadCompletingAsync"/>). The default says the storage cannot.
    /// </summary>
    /// <param name="cancellationToken">Ends the wait.</param>
    /// <returns>A stream the caller disposes.</returns>
    /// <exception cref="NotSupportedException">The storage cannot read an upload before it is committed.</exception>
    public virtual ValueTask<Stream> OpenReadAsync(CancellationToken cancellationToken) =>
        throw new NotSupportedException("This storage cannot read an upload before it is committed.");

    /// <summary>Closes the upload; an uncommitted replacement leaves the previous file (or no file) and no temporary file.</summary>
    /// <returns>When the upload's resources are released.</returns>
    public async ValueTask DisposeAsync()
    {
        await DisposeAsyncCore().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the upload's resources and discards it when it was not committed.</summary>
    /// <returns>When done.</returns>
    protected abstract ValueTask DisposeAsyncCore();
}
