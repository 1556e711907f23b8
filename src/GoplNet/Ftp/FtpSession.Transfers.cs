using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace GoplNet;

internal sealed partial class FtpSession
{
    private const int CopyBufferSize = 1024 * 1024;
    private const int DiskFull = 28;

    /// <summary>The path a LIST, NLST, MLSD or STAT argument names, after ls-style flags such as "-la".</summary>
    private string? ListingTarget(string argument)
    {
        var words = argument.Trim();
        while (words.StartsWith('-'))
        {
            var space = words.IndexOf(' ', StringComparison.Ordinal);
            words = space < 0 ? string.Empty : words[(space + 1)..].TrimStart();
        }

        return Target(words);
    }

    /// <summary>The listing text of a directory (or of one file), or <see langword="null"/> when there is nothing there.</summary>
    private string? Listing(string? target, bool names, bool facts = false)
    {
        var local = target is null ? null : _fileSystem.ToLocal(target);
        if (local is null)
        {
            return null;
        }

        var now = _timeProvider.GetUtcNow();
        var output = new StringBuilder();
        IEnumerable<FileSystemInfo> entries;
        if (Directory.Exists(local))
        {
            var directory = new DirectoryInfo(local);
            entries = directory.EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal);
            if (facts)
            {
                output.Append(FtpListing.Facts(directory, ".", "cdir", !_readOnly)).Append("\r\n");
            }
        }
        else if (File.Exists(local) && !facts)
        {
            entries = [new FileInfo(local)];
        }
        else
        {
            return null;
        }

        foreach (var entry in entries)
        {
            if (facts)
            {
                output.Append(FtpListing.Facts(entry, entry.Name, null, !_readOnly)).Append("\r\n");
            }
            else if (names)
            {
                output.Append(entry.Name).Append("\r\n");
            }
            else
            {
                FtpListing.AppendLongLine(output, entry, now);
            }
        }

        return output.ToString();
    }

    private async Task ListAsync(string verb, string argument, CancellationToken cancellationToken)
    {
        var target = ListingTarget(argument);
        var text = Listing(target, names: verb == "NLST", facts: verb == "MLSD");
        if (text is null)
        {
            await ReplyAsync(verb == "MLSD" ? 501 : 550, verb == "MLSD" ? "MLSD needs a directory." : "No such file or directory.").ConfigureAwait(false);
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        await StartTransferAsync("Here comes the directory listing.", "list", target!, async (socket, token) =>
        {
            await socket.SendAsync(bytes, SocketFlags.None, token).ConfigureAwait(false);
            return bytes.Length;
        }, "Directory send OK.", null, cancellationToken).ConfigureAwait(false);
    }

    private async Task RetrieveAsync(string argument, CancellationToken cancellationToken)
    {
        var target = Target(argument);
        var local = target is null ? null : _fileSystem.ToLocal(target);
        FileStream? file = null;
        try
        {
            // Opened and checked once; the transfer sends from this handle, never from the path again.
            file = local is null || !File.Exists(local) ? null : new FileStream(local, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.Asynchronous);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            file = null;
        }

        var offset = _restartOffset;
        _restartOffset = 0;
        if (file is null)
        {
            await ReplyAsync(550, "Failed to open file.").ConfigureAwait(false);
            return;
        }

        var length = file.Length;
        var mode = _binary ? "BINARY" : "ASCII";
        await StartTransferAsync($"Opening {mode} mode data connection for {FtpFileSystem.NameOf(target!)} ({length} bytes).", "retrieve", target!, async (socket, token) =>
        {
            await using (file.ConfigureAwait(false))
            {
                return _binary
                    ? await SendFileAsync(socket, file, Math.Min(offset, length), length, token).ConfigureAwait(false)
                    : await SendAsciiAsync(socket, file, offset, token).ConfigureAwait(false);
            }
        }, "Transfer complete.", () => file.Dispose(), cancellationToken).ConfigureAwait(false);
    }

    private async Task StoreAsync(string verb, string argument, CancellationToken cancellationToken)
    {
        var offset = _restartOffset;
        _restartOffset = 0;
        if (_readOnly)
        {
            await ReplyAsync(550, "Permission denied.").ConfigureAwait(false);
            return;
        }

        var target = verb == "STOU" ? UniqueName(argument) : Target(argument);
        var local = target is null || target == "/" ? null : _fileSystem.ToLocal(target);
        if (local is null || Directory.Exists(local) || !Directory.Exists(Path.GetDirectoryName(local)))
        {
            await ReplyAsync(553, "Could not create file.").ConfigureAwait(false);
            return;
        }

        // A new upload goes to a temporary name and is renamed when complete, so a half-written
        // file never appears under its name; APPE and REST+STOR write in place, as resuming needs.
        var inPlace = verb == "APPE" || offset > 0;
        var temporary = inPlace ? local : Path.Combine(Path.GetDirectoryName(local)!, $".{Path.GetFileName(local)}.{Guid.NewGuid():N}.part");
        FileStream file;
        try
        {
            file = new FileStream(temporary, inPlace ? FileMode.OpenOrCreate : FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(file.SafeFileHandle, _options.UploadFileMode);
            }

            file.Position = verb == "APPE" ? file.Length : Math.Min(offset, file.Length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await ReplyAsync(553, "Could not create file.").ConfigureAwait(false);
            return;
        }

        var opening = verb == "STOU" ? $"FILE: {FtpFileSystem.NameOf(target!)}" : "Ok to send data.";
        await StartTransferAsync(opening, "store", target!, async (socket, token) =>
        {
            long received;
            await using (file.ConfigureAwait(false))
            {
                received = await ReceiveAsync(socket, file, token).ConfigureAwait(false);
                if (inPlace)
                {
                    // Resuming replaces what followed the restart point.
                    file.SetLength(file.Position);
                }

                await file.FlushAsync(token).ConfigureAwait(false);
            }

            if (!inPlace)
            {
                File.Move(temporary, local, overwrite: true);
            }

            return received;
        }, "Transfer complete.", () =>
        {
            file.Dispose();
            if (!inPlace)
            {
                File.Delete(temporary);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    private string? UniqueName(string argument)
    {
        var stem = Target(argument.Length == 0 ? "upload" : argument);
        if (stem is null)
        {
            return null;
        }

        for (var n = 0; n < 10_000; n++)
        {
            var candidate = n == 0 ? stem : $"{stem}.{n}";
            if (_fileSystem.ToLocal(candidate) is { } local && !Path.Exists(local))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// Replies 150, then runs the transfer beside the command loop: 226 when it completes, 426 when
    /// aborted or cut, 425 without a data connection, 452 on a full disk, 451 on another local error.
    /// </summary>
    private async Task StartTransferAsync(
        string opening, string direction, string path,
        Func<Socket, CancellationToken, Task<long>> body, string closing, Action? onFailure, CancellationToken cancellationToken)
    {
        var channel = _data;
        _data = null;
        if (channel is null)
        {
            onFailure?.Invoke();
            await ReplyAsync(425, "Use PORT, PASV, EPRT or EPSV first.").ConfigureAwait(false);
            return;
        }

        await ReplyAsync(150, opening).ConfigureAwait(false);
        var cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _transferCancellation = cancellation;
        _transfer = RunTransferAsync(channel, cancellation, direction, path, body, closing, onFailure);
    }

    private async Task RunTransferAsync(
        FtpDataChannel channel, CancellationTokenSource cancellation, string direction, string path,
        Func<Socket, CancellationToken, Task<long>> body, string closing, Action? onFailure)
    {
        var started = Stopwatch.GetTimestamp();
        long bytes = 0;
        var outcome = "complete";
        Socket? socket = null;
        try
        {
            using (channel)
            {
                try
                {
                    socket = await channel.OpenAsync(cancellation.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException)
                {
                    outcome = "no data connection";
                    onFailure?.Invoke();
                    await ReplyAsync(425, "Failed to establish connection.").ConfigureAwait(false);
                    return;
                }
            }

            // Cancelling (ABOR, stop) closes the data connection, which ends any send or receive at once.
            using var registration = cancellation.Token.Register(static s => ((Socket)s!).Dispose(), socket);
            bytes = await body(socket, cancellation.Token).ConfigureAwait(false);
            socket.Shutdown(SocketShutdown.Both);
            socket.Dispose();
            await ReplyAsync(226, closing).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException
            || (e is IOException && cancellation.IsCancellationRequested))
        {
            outcome = "aborted";
            onFailure?.Invoke();
            await ReplyAsync(426, "Connection closed; transfer aborted.").ConfigureAwait(false);
        }
        catch (IOException e) when ((e.HResult & 0xFFFF) == DiskFull)
        {
            outcome = "disk full";
            onFailure?.Invoke();
            await ReplyAsync(452, "Insufficient storage space.").ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            outcome = "failed";
            onFailure?.Invoke();
            await ReplyAsync(451, "Local error in processing.").ConfigureAwait(false);
        }
        finally
        {
            socket?.Dispose();
            cancellation.Dispose();
            LogTransfer(direction, path, bytes, started, outcome);
        }
    }

    private void LogTransfer(string direction, string path, long bytes, long started, string outcome)
    {
        if (_logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Information))
        {
            var milliseconds = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            FtpServerLog.Transfer(_logger, Id, direction, path, bytes, milliseconds, outcome);
        }
    }

    /// <summary>Sends a file from its open handle with the kernel's zero-copy path (sendfile), from <paramref name="offset"/>.</summary>
    private static async Task<long> SendFileAsync(Socket socket, FileStream file, long offset, long length, CancellationToken cancellationToken)
    {
        var sent = 0L;
        while (offset + sent < length)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = (int)Math.Min(length - offset - sent, 1L << 30);
            using var args = new SocketAsyncEventArgs
            {
                SendPacketsElements = [new SendPacketsElement(file, offset + sent, count, endOfPacket: true)],
            };
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            args.Completed += (_, _) => done.TrySetResult();
            if (!socket.SendPacketsAsync(args))
            {
                done.TrySetResult();
            }

            await done.Task.ConfigureAwait(false);
            if (args.SocketError != SocketError.Success)
            {
                throw new SocketException((int)args.SocketError);
            }

            sent += count;
        }

        return sent;
    }

    /// <summary>ASCII mode: local line ends (LF) go out as CRLF.</summary>
    private static async Task<long> SendAsciiAsync(Socket socket, FileStream file, long offset, CancellationToken cancellationToken)
    {
        file.Position = Math.Min(offset, file.Length);
        var input = new byte[64 * 1024];
        var output = new byte[input.Length * 2];
        long sent = 0;
        var previous = (byte)0;
        int read;
        while ((read = await file.ReadAsync(input, cancellationToken).ConfigureAwait(false)) > 0)
        {
            var n = 0;
            for (var i = 0; i < read; i++)
            {
                if (input[i] == (byte)'\n' && previous != (byte)'\r')
                {
                    output[n++] = (byte)'\r';
                }

                output[n++] = previous = input[i];
            }

            await socket.SendAsync(output.AsMemory(0, n), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            sent += n;
        }

        return sent;
    }

    /// <summary>Receives until the client closes the data connection; in ASCII mode CRLF becomes LF.</summary>
    private async Task<long> ReceiveAsync(Socket socket, FileStream file, CancellationToken cancellationToken)
    {
        // A large receive window lets the client send ahead while the disk write runs.
        socket.ReceiveBufferSize = CopyBufferSize;
        var buffer = new byte[CopyBufferSize];
        long received = 0;
        var pendingCarriageReturn = false;
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false)) > 0)
        {
            received += read;
            if (_binary)
            {
                // Fill the buffer before writing: fewer, larger writes.
                while (read < buffer.Length && socket.Available > 0)
                {
                    var more = socket.Receive(buffer, read, Math.Min(buffer.Length - read, socket.Available), SocketFlags.None);
                    if (more == 0)
                    {
                        break;
                    }

                    read += more;
                    received += more;
                }

                file.Write(buffer, 0, read);
                continue;
            }

            var n = 0;
            for (var i = 0; i < read; i++)
            {
                var b = buffer[i];
                if (pendingCarriageReturn && b != (byte)'\n')
                {
                    buffer[n++] = (byte)'\r';
                }

                pendingCarriageReturn = b == (byte)'\r';
                if (!pendingCarriageReturn)
                {
                    buffer[n++] = b;
                }
            }

            await file.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
        }

        if (pendingCarriageReturn)
        {
            file.WriteByte((byte)'\r');
        }

        return received;
    }
}
