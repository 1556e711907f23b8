using System.Net.Sockets;
using GoplNet.Ftp.Authentication;
using GoplNet.Ftp.Data;
using GoplNet.Ftp.Events;
using GoplNet.Ftp.Storage;

namespace GoplNet.Ftp.Protocol;

/// <summary>What a transfer moves.</summary>
internal enum FtpTransferKind
{
    /// <summary>LIST, NLST, MLSD (not in the transfer log).</summary>
    Listing,

    /// <summary>RETR.</summary>
    Download,

    /// <summary>STOR, APPE, STOU.</summary>
    Upload,
}

/// <summary>Transfers: REST, RETR, STOR, APPE, STOU, ABOR, and the transfer that runs beside the command loop.</summary>
internal sealed partial class FtpSession
{
    private const int DiskFull = 28;

    private long _restartOffset;
    private Task _transfer = Task.CompletedTask;
    private CancellationTokenSource? _transferCancellation;
    private FtpTransferProgress? _activeTransfer;
    private volatile bool _dataConnected;

    /// <summary>REST (RFC 3659): a byte offset for the next RETR or STOR; binary type only (ASCII offsets would count converted bytes).</summary>
    private async Task RestartAsync(string argument)
    {
        if (!long.TryParse(argument.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var offset))
        {
            await ReplyAsync(FtpReplyCode.BadArguments, "REST takes a non-negative whole number of bytes.").ConfigureAwait(false);
            return;
        }

        if (offset > 0 && !_binary)
        {
            await ReplyAsync(FtpReplyCode.ParameterNotImplemented, "REST needs binary type: send TYPE I first.").ConfigureAwait(false);
            return;
        }

        _restartOffset = offset;
        await ReplyAsync(FtpReplyCode.PendingFurtherInformation, $"Restart position accepted ({offset}).").ConfigureAwait(false);
    }

    /// <summary>The restart offset for this transfer command; the next one starts from 0 again.</summary>
    private long TakeRestartOffset()
    {
        var offset = _restartOffset;
        _restartOffset = 0;
        return offset;
    }

    private async Task RetrieveAsync(string argument)
    {
        var offset = TakeRestartOffset();
        if (!await DataAllowedAsync().ConfigureAwait(false))
        {
            return;
        }

        var target = Target(argument);
        if (target is null || await StatAsync(target).ConfigureAwait(false) is not { IsDirectory: false } entry)
        {
            await ReplyAsync(FtpReplyCode.FileUnavailable, "Failed to open file.").ConfigureAwait(false);
            return;
        }

        if (offset > entry.Length)
        {
            await ReplyAsync(FtpReplyCode.InvalidRestart, $"Restart offset {offset} is past the end of the file ({entry.Length} bytes).").ConfigureAwait(false);
            return;
        }

        Stream file;
        try
        {
            // Opened and checked once; the transfer sends from this stream, never from the path again.
            file = await _fileSystem.OpenReadAsync(target, offset, _stopping).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            await ReplyAsync(FtpReplyCode.FileUnavailable, "Failed to open file.").ConfigureAwait(false);
            return;
        }

        // A local file's own length (it may have changed since the entry was read); other storage's as listed.
        var length = file is FileStream local ? local.Length : entry.Length;

        var binary = _binary;
        var opening = $"Opening {(binary ? "BINARY" : "ASCII")} mode data connection for {FtpPath.NameOf(target!)} ({length} bytes).";
        await StartTransferAsync(opening, FtpTransferKind.Download, target!, async data =>
        {
            await using (file.ConfigureAwait(false))
            {
                if (binary && data.Socket is { } socket && file is FileStream fileStream)
                {
                    await FtpDataCopy.SendFileAsync(socket, fileStream, offset, length, data).ConfigureAwait(false);
                    return;
                }

                await FtpDataCopy.SendCopyAsync(data, file, binary).ConfigureAwait(false);
            }
        }, "Transfer complete.", file.Dispose).ConfigureAwait(false);
    }

    /// <summary>STOR and APPE; STOR after REST resumes in place, from an offset no further than the file's end (never a sparse file).</summary>
    private async Task StoreAsync(string argument, FtpUploadMode mode)
    {
        var offset = TakeRestartOffset();
        if (!await DataAllowedAsync().ConfigureAwait(false))
        {
            return;
        }

        var target = Target(argument);
        var needed = mode == FtpUploadMode.Append ? FtpStorageCapabilities.Append : offset > 0 ? FtpStorageCapabilities.Resume : FtpStorageCapabilities.None;
        if ((_fileSystem.Capabilities & needed) != needed)
        {
            await ReplyAsync(FtpReplyCode.ParameterNotImplemented, mode == FtpUploadMode.Append
                ? "APPE is not supported by this storage; upload the whole file with STOR."
                : "Resuming an upload is not supported by this storage; upload the whole file with STOR.").ConfigureAwait(false);
            return;
        }

        if (mode == FtpUploadMode.Replace && offset > 0)
        {
            var existing = target is null ? null : await StatAsync(target).ConfigureAwait(false);
            if (existing is not { IsDirectory: false } file || offset > file.Length)
            {
                await ReplyAsync(FtpReplyCode.InvalidRestart, $"Restart offset {offset} is past the end of the file ({existing?.Length ?? 0} bytes).").ConfigureAwait(false);
                return;
            }

            mode = FtpUploadMode.Resume;
        }

        await UploadAsync(target, mode, offset, "Ok to send data.").ConfigureAwait(false);
    }

    /// <summary>STOU (RFC 1123): a name that did not exist, told in the 150 reply, with STOR's temporary-file safety.</summary>
    private async Task StoreUniqueAsync(string argument)
    {
        TakeRestartOffset();
        if (!await DataAllowedAsync().ConfigureAwait(false))
        {
            return;
        }

        var target = await UniqueNameAsync(argument).ConfigureAwait(false);
        await UploadAsync(target, FtpUploadMode.CreateNew, 0, target is null ? string.Empty : $"FILE: {FtpPath.NameOf(target)}").ConfigureAwait(false);
    }

    private async Task UploadAsync(string? target, FtpUploadMode mode, long offset, string opening)
    {
        FtpUpload upload;
        try
        {
            upload = target is null ? throw new IOException("not a path") : await _fileSystem.BeginUploadAsync(target, mode, offset, _stopping).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            await ReplyAsync(FtpReplyCode.FileNameNotAllowed, "Could not create file.").ConfigureAwait(false);
            return;
        }

        var binary = _binary;
        var limit = _account!.MaxUploadBytes ?? long.MaxValue;
        await StartTransferAsync(opening, FtpTransferKind.Upload, target!, async data =>
        {
            await using (upload.ConfigureAwait(false))
            {
                await FtpDataCopy.ReceiveAsync(data, upload.Stream, binary, limit, _options.DirectUploads).ConfigureAwait(false);
                await ApproveUploadAsync(upload, target!, data).ConfigureAwait(false);
                await upload.CommitAsync(data.Token).ConfigureAwait(false);
            }
        }, "Transfer complete.", () => upload.DisposeAsync().AsTask().GetAwaiter().GetResult()).ConfigureAwait(false);
    }

    /// <summary>Asks the event handlers about an upload that has all its bytes; a refusal ends it with 553.</summary>
    private async Task ApproveUploadAsync(FtpUpload upload, string target, FtpDataConnection data)
    {
        if (!_context.Events.HasHandlers)
        {
            return;
        }

        await upload.Stream.FlushAsync(data.Token).ConfigureAwait(false);
        var completing = new FtpUploadCompletingEvent(Id, RemoteEndPoint, _timeProvider.GetUtcNow(), _account!, _fileSystem, target, _activeTransfer?.Bytes ?? 0, upload);
        if (await _context.Events.ApproveUploadAsync(completing, data.Token).ConfigureAwait(false) is { } refusal)
        {
            FtpServerLog.UploadRefused(_logger, target, refusal);
            throw new FtpUploadRefusedException(refusal);
        }
    }

    private async Task<string?> UniqueNameAsync(string argument)
    {
        var stem = Target(string.IsNullOrWhiteSpace(argument) ? "upload" : argument);
        if (stem is null || stem == "/")
        {
            return null;
        }

        for (var n = 0; n < 10_000; n++)
        {
            var candidate = n == 0 ? stem : $"{stem}.{n}";
            if (await StatAsync(candidate).ConfigureAwait(false) is null)
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>ABOR: with a transfer running, it is cut off (426) and ABOR answered 226; otherwise 225.</summary>
    private async Task AbortAsync()
    {
        if (_transfer.IsCompleted)
        {
            await ReplyAsync(FtpReplyCode.NoTransfer, "No transfer to abort.").ConfigureAwait(false);
            return;
        }

        CancelTransfer();
        await WaitForTransferAsync().ConfigureAwait(false);
        await ReplyAsync(FtpReplyCode.TransferComplete, "ABOR successful.").ConfigureAwait(false);
    }

    /// <summary>Cuts the running transfer off (it answers 426 itself); nothing when it has just ended.</summary>
    private void CancelTransfer()
    {
        try
        {
            _transferCancellation?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The transfer has ended meanwhile.
        }
    }

    private async Task WaitForTransferAsync()
    {
        try
        {
            await _transfer.ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The transfer has answered for itself.
        }
    }

    /// <summary>Under <see cref="FtpServerOptions.RequireTls"/>, data moves only over protected connections (521 otherwise).</summary>
    private async Task<bool> DataAllowedAsync()
    {
        if (!_options.RequireTls || _protectData)
        {
            return true;
        }

        await ReplyAsync(FtpReplyCode.ProtectionRequired, "Data connections must be protected: send PROT P.").ConfigureAwait(false);
        return false;
    }

    /// <summary>
    /// Replies 150, then runs the transfer beside the command loop: 226 when it completes, 426 when
    /// aborted, cut or stalled, 425 without a data connection, 452 on a full disk, 451 on another
    /// local error. <paramref name="undo"/> releases what the command opened when the transfer ends early.
    /// </summary>
    private async Task StartTransferAsync(
        string opening, FtpTransferKind direction, string path, Func<FtpDataConnection, Task> body, string closing, Action? undo)
    {
        var channel = _data;
        _data = null;
        if (channel is null)
        {
            undo?.Invoke();
            await ReplyAsync(FtpReplyCode.CannotOpenData, "Use PORT, PASV, EPRT or EPSV first.").ConfigureAwait(false);
            return;
        }

        await ReplyAsync(FtpReplyCode.OpeningData, opening).ConfigureAwait(false);
        var progress = new FtpTransferProgress(direction, path);
        _activeTransfer = progress;
        var cancellation = new CancellationTokenSource();
        _transferCancellation = cancellation;
        _transfer = RunTransferAsync(channel, cancellation, progress, body, closing, undo);
    }

    private async Task RunTransferAsync(
        FtpDataChannel channel, CancellationTokenSource cancellation, FtpTransferProgress progress,
        Func<FtpDataConnection, Task> body, string closing, Action? undo)
    {
        var (account, storage, binary) = (_account, _fileSystem, _binary);
        var started = _timeProvider.GetTimestamp();
        var outcome = "complete";
        using var stall = new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation.Token, stall.Token);
        FtpDataConnection? data = null;
        try
        {
            using (channel)
            {
                try
                {
                    data = await FtpDataConnection.OpenAsync(
                        channel, _protectData ? _context : null, progress, stall, _options.StalledTransferTimeout, _options.DataConnectionTimeout, _timeProvider, linked.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException or IOException
                    or System.Security.Authentication.AuthenticationException)
                {
                    if (_protectData && e is System.Security.Authentication.AuthenticationException or IOException)
                    {
                        FtpServerLog.TlsFailed(_logger, "data", e.Message);
                    }

                    await FailAsync("no data connection", FtpReplyCode.CannotOpenData, "Failed to establish connection.", e).ConfigureAwait(false);
                    return;
                }
            }

            _dataConnected = true;

            // Cancelling (ABOR, stall, stop) closes the data connection, which ends any send or receive at once.
            using var registration = linked.Token.Register(static s => ((FtpDataConnection)s!).Close(), data);
            await body(data).ConfigureAwait(false);
            await data.FinishAsync().ConfigureAwait(false);
            await ReplyAsync(FtpReplyCode.TransferComplete, closing).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException
            || (e is IOException && linked.IsCancellationRequested) || (e is IOException && e.InnerException is SocketException))
        {
            await (stall.IsCancellationRequested
                ? FailAsync("stalled", FtpReplyCode.TransferAborted, "Transfer stalled; connection closed.", e)
                : FailAsync("aborted", FtpReplyCode.TransferAborted, "Connection closed; transfer aborted.", e)).ConfigureAwait(false);
        }
        catch (FtpUploadTooLargeException e)
        {
            await FailAsync("too large", FtpReplyCode.StorageAllocationExceeded, "Exceeded storage allocation for this account.", e).ConfigureAwait(false);
        }
        catch (FtpUploadRefusedException e)
        {
            await FailAsync("refused", FtpReplyCode.FileNameNotAllowed, e.Message, e).ConfigureAwait(false);
        }
        catch (IOException e) when ((e.HResult & 0xFFFF) == DiskFull)
        {
            await FailAsync("disk full", FtpReplyCode.InsufficientStorage, "Insufficient storage space.", e).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or FtpUploadHookException)
        {
            await FailAsync("failed", FtpReplyCode.LocalError, "Local error in processing.", e).ConfigureAwait(false);
        }
        finally
        {
            _dataConnected = false;
            data?.Close();
            cancellation.Dispose();
        }

        await EndTransferAsync(progress, outcome, _timeProvider.GetElapsedTime(started), account, storage, binary).ConfigureAwait(false);

        // A transfer that ends early: logged with its cause, its partial work undone, then its reply
        // (none for a transfer abandoned by QUIT before its data connection opened).
        Task FailAsync(string reason, FtpReplyCode code, string text, Exception exception)
        {
            outcome = reason;
            FtpServerLog.TransferFailed(_logger, progress.Path, reason, exception);
            undo?.Invoke();
            return _quit && data is null ? Task.CompletedTask : ReplyAsync(code, text);
        }
    }

    /// <summary>Logs, counts and announces a transfer that has had its reply.</summary>
    private async Task EndTransferAsync(FtpTransferProgress progress, string outcome, TimeSpan elapsed, FtpAccount? account, IFtpFileSystem storage, bool binary)
    {
        FtpServerMetrics.TransferEnded(progress.Direction, outcome, progress.Bytes, elapsed);
        if (_logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Information))
        {
            var direction = progress.Direction switch { FtpTransferKind.Listing => "list", FtpTransferKind.Upload => "store", _ => "retrieve" };
            FtpServerLog.Transfer(_logger, direction, progress.Path, progress.Bytes, (long)elapsed.TotalMilliseconds, outcome);
        }

        if (progress.Direction != FtpTransferKind.Listing && account is not null)
        {
            var direction = progress.Direction == FtpTransferKind.Upload ? FtpTransferDirection.Upload : FtpTransferDirection.Download;
            var e = new FtpTransferCompletedEvent(
                Id, RemoteEndPoint, _timeProvider.GetUtcNow(), account, storage, direction, progress.Path, progress.Bytes, elapsed, binary, outcome == "complete" ? null : outcome);
            await RaiseAsync(e, static (h, e, t) => h.OnTransferCompletedAsync(e, t)).ConfigureAwait(false);
        }
    }
}

/// <summary>An upload handler refused the upload (553, with its message).</summary>
internal sealed class FtpUploadRefusedException(string message) : Exception(message);
