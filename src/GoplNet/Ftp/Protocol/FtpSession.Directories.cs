using GoplNet.Ftp.Events;
using GoplNet.Ftp.Storage;

namespace GoplNet.Ftp.Protocol;

/// <summary>Directories: PWD, CWD, CDUP, MKD, RMD (and their X-aliases).</summary>
internal sealed partial class FtpSession
{
    private string _cwd = "/";

    private Task PrintDirectoryAsync() => ReplyAsync(FtpReplyCode.PathCreated, $"{Quote(_cwd)} is the current directory");

    private async Task ChangeDirectoryAsync(string argument)
    {
        if (Target(argument) is { } target && await StatAsync(target).ConfigureAwait(false) is { IsDirectory: true })
        {
            _cwd = target;
            await ReplyAsync(FtpReplyCode.FileActionDone, "Directory successfully changed.").ConfigureAwait(false);
        }
        else
        {
            await ReplyAsync(FtpReplyCode.FileUnavailable, "Failed to change directory.").ConfigureAwait(false);
        }
    }

    private async Task MakeDirectoryAsync(string argument)
    {
        if (await ChangeStorageAsync(argument, static (fs, p, t) => fs.CreateDirectoryAsync(p, t)).ConfigureAwait(false) is { } created)
        {
            await ReplyAsync(FtpReplyCode.PathCreated, $"{Quote(created)} created").ConfigureAwait(false);
            await RaiseAsync(PathEvent(created), static (h, e, t) => h.OnDirectoryCreatedAsync(e, t)).ConfigureAwait(false);
        }
    }

    private async Task RemoveDirectoryAsync(string argument)
    {
        if (await ChangeStorageAsync(argument, static (fs, p, t) => fs.RemoveDirectoryAsync(p, t)).ConfigureAwait(false) is { } removed)
        {
            await ReplyAsync(FtpReplyCode.FileActionDone, "Remove directory operation successful.").ConfigureAwait(false);
            await RaiseAsync(PathEvent(removed), static (h, e, t) => h.OnDirectoryRemovedAsync(e, t)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs a change to the storage on the path <paramref name="argument"/> names: the path, or
    /// <see langword="null"/> after answering 550 for the root, a path outside it or a failure.
    /// (Accounts without the permission never get here: the command table names it.) A storage
    /// that cannot do the change is answered 502.
    /// </summary>
    private async Task<string?> ChangeStorageAsync(string argument, Func<IFtpFileSystem, string, CancellationToken, ValueTask> change)
    {
        var target = Target(argument);
        if (target is null || target == "/")
        {
            await ReplyAsync(FtpReplyCode.FileUnavailable, PermissionDenied).ConfigureAwait(false);
            return null;
        }

        try
        {
            await change(_fileSystem, target, _stopping).ConfigureAwait(false);
            return target;
        }
        catch (NotSupportedException)
        {
            await ReplyAsync(FtpReplyCode.NotImplemented, "The storage does not support this.").ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await ReplyAsync(FtpReplyCode.FileUnavailable, "Operation failed.").ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>The entry at a resolved path, or <see langword="null"/> when there is none or the storage fails to say.</summary>
    private async ValueTask<FtpEntry?> StatAsync(string path)
    {
        try
        {
            return await _fileSystem.GetEntryAsync(path, _stopping).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>The entries of a directory, or <see langword="null"/> when it is not one or the storage fails to say.</summary>
    private async ValueTask<IReadOnlyList<FtpEntry>?> ListEntriesAsync(string path)
    {
        try
        {
            return await _fileSystem.ListAsync(path, _stopping).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return null;
        }
    }

    private FtpPathEvent PathEvent(string path) => new(Id, RemoteEndPoint, _timeProvider.GetUtcNow(), _account!, _fileSystem, path);
}
