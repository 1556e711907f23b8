namespace GoplNet.Ftp.Protocol;

/// <summary>Directories: PWD, CWD, CDUP, MKD, RMD (and their X-aliases).</summary>
internal sealed partial class FtpSession
{
    private string _cwd = "/";

    private Task PrintDirectoryAsync() => ReplyAsync(FtpReplyCode.PathCreated, $"{Quote(_cwd)} is the current directory");

    private async Task ChangeDirectoryAsync(string argument)
    {
        if (Target(argument) is { } target && _fileSystem.Stat(target) is { IsDirectory: true })
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
        if (await ChangeStorageAsync(argument, _fileSystem.CreateDirectory).ConfigureAwait(false) is { } created)
        {
            await ReplyAsync(FtpReplyCode.PathCreated, $"{Quote(created)} created").ConfigureAwait(false);
        }
    }

    private async Task RemoveDirectoryAsync(string argument)
    {
        if (await ChangeStorageAsync(argument, _fileSystem.RemoveDirectory).ConfigureAwait(false) is not null)
        {
            await ReplyAsync(FtpReplyCode.FileActionDone, "Remove directory operation successful.").ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs a change to the storage on the path <paramref name="argument"/> names: the path, or
    /// <see langword="null"/> after answering 550 for the root, a path outside it or a failure.
    /// (Read-only accounts never get here: the command table marks these commands as writes.)
    /// </summary>
    private async Task<string?> ChangeStorageAsync(string argument, Action<string> change)
    {
        var target = Target(argument);
        if (target is null || target == "/")
        {
            await ReplyAsync(FtpReplyCode.FileUnavailable, PermissionDenied).ConfigureAwait(false);
            return null;
        }

        try
        {
            change(target);
            return target;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await ReplyAsync(FtpReplyCode.FileUnavailable, "Operation failed.").ConfigureAwait(false);
            return null;
        }
    }
}
