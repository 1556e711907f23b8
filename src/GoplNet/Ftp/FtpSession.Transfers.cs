using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace GoplNet;

internal sealed partial class FtpSession
{
    private const int CopyBufferSize = 1024 * 1024;
    private const int SendFileChunk = 16 * 1024 * 1024;
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
        if (target is null || _fileSystem.Stat(target) is not { } self)
        {
            return null;
        }

        IReadOnlyList<FtpEntry> entries;
        var output = new StringBuilder();
        if (self.IsDirectory)
        {
            entries = _fileSystem.List(target) ?? [];
            output.EnsureCapacity(entries.Count * (names ? 24 : facts ? 80 : 64));
            if (facts)
            {
                FtpListing.AppendFacts(output, self, ".", "cdir", !_readOnly).Append("\r\n");
            }
        }
        else if (!facts)
        {
            entries = [self];
        }
        else
        {
            return null;
        }

        var now = _timeProvider.GetUtcNow().UtcDateTime;
        foreach (var entry in entries)
        {
            if (facts)
            {
                FtpListing.AppendFacts(output, entry, entry.Name, null, !_readOnly).Append("\r\n");
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
        if (!await DataAllowedAsync().ConfigureAwait(false))
        {
            return;
        }

        var target = ListingTarget(argument);
        var text = Listing(target, names: verb == "NLST", facts: verb == "MLSD");
        if (text is null)
        {
            await ReplyAsync(verb == "MLSD" ? 501 : 550, verb == "MLSD" ? "MLSD needs a directory." : "No such file or directory.").ConfigureAwait(false);
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        await StartTransferAsync("Here comes the directory listing.", null, target!, async data =>
        {
            for (var offset = 0; offset < bytes.Length; offset += CopyBufferSize)
            {
                await data.Stream.WriteAsync(bytes.AsMemory(offset, Math.Min(CopyBufferSize, bytes.Length - offset)), data.Token).ConfigureAwait(false);
                data.Progress();
            }

            return bytes.Length;
        }, "Directory send OK.", null, cancellationToken).ConfigureAwait(false);
    }

    private async Task RetrieveAsync(string argument, CancellationToken cancellationToken)
    {
        var offset = _restartOffset;
        _restartOffset = 0;
        if (!await DataAllowedAsync().ConfigureAwait(false))
        {
            return;
        }

        var target = Target(argument);
        Stream? file = null;
        try
        {
            // Opened and checked once; the transfer sends from this handle, never from the path again.
            file = target is null ? null : _fileSystem.OpenRead(target);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            file = null;
        }

        if (file is null)
        {
            await ReplyAsync(550, "Failed to open file.").ConfigureAwait(false);
            return;
        }

        var length = file.Length;
        var mode = _binary ? "BINARY" : "ASCII";
        await StartTransferAsync($"Opening {mode} mode data connection for {FtpPath.NameOf(target!)} ({length} bytes).", false, target!, async data =>
        {
            await using (file.ConfigureAwait(false))
            {
                if (_binary && data.Socket is { } socket && file is FileStream fileStream)
                {
                    return await SendFileAsync(socket, fileStream, Math.Min(offset, length), length, data).ConfigureAwait(false);
                }

                return await SendCopyAsync(data, file, offset, _binary).ConfigureAwait(false);
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

        if (!await DataAllowedAsync().ConfigureAwait(false))
        {
            return;
        }

        var target = verb == "STOU" ? UniqueName(argument) : Target(argument);
        var mode = verb == "APPE" ? FtpUploadMode.Append : offset > 0 ? FtpUploadMode.Resume : FtpUploadMode.Replace;
        FtpUpload upload;
        try
        {
            upload = target is null ? throw new IOException("not a path") : _fileSystem.BeginUpload(target, mode, offset, _options.UploadFileMode);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await ReplyAsync(553, "Could not create file.").ConfigureAwait(false);
            return;
        }

        var opening = verb == "STOU" ? $"FILE: {FtpPath.NameOf(target!)}" : "Ok to send data.";
        await StartTransferAsync(opening, true, target!, async data =>
        {
            await using (upload.ConfigureAwait(false))
            {
                var received = await ReceiveAsync(data, upload.Stream).ConfigureAwait(false);
                await upload.CommitAsync(data.Token).ConfigureAwait(false);
                return received;
            }
        }, "Transfer complete.", () => upload.DisposeAsync().AsTask().GetAwaiter().GetResult(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Under <see cref="FtpServerOptions.RequireTls"/>, data moves only over protected connections (521 otherwise).</summary>
    private async Task<bool> DataAllowedAsync()
    {
        if (!_options.RequireTls || _protectData)
        {
            return true;
        }

        await ReplyAsync(521, "Data connections must be protected: send PROT P.").ConfigureAwait(false);
        return false;
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
            if (_fileSystem.Stat(candidate) is null)
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// Replies 150, then runs the transfer beside the command loop: 226 when it completes, 426 when
    /// aborted, cut or stalled, 425 without a data connection, 452 on a full disk, 451 on another
    /// local error. <paramref name="incoming"/> is <see langword="null"/> for listings (not in the transfer log).
    /// </summary>
    private async Task StartTransferAsync(
        string opening, bool? incoming, string path, Func<DataConnection, Task<long>> body, string closing, Action? onFailure, CancellationToken cancellationToken)
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
        _transfer = RunTransferAsync(channel, cancellation, incoming, path, body, closing, onFailure);
    }

    private async Task RunTransferAsync(
        FtpDataChannel channel, CancellationTokenSource cancellation, bool? incoming, string path,
        Func<DataConnection, Task<long>> body, string closing, Action? onFailure)
    {
        var started = _timeProvider.GetTimestamp();
        var outcome = "complete";
        using var stall = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation.Token, stall.Token);
        DataConnection? data = null;
        try
        {
            using (channel)
            {
                try
                {
                    data = await OpenDataAsync(channel, incoming == true, stall, linked.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException or IOException
                    or System.Security.Authentication.AuthenticationException)
                {
                    await FailAsync("no data connection", 425, "Failed to establish connection.", e).ConfigureAwait(false);
                    return;
                }
            }

            _dataConnected = true;

            // Cancelling (ABOR, stall, stop) closes the data connection, which ends any send or receive at once.
            using var registration = linked.Token.Register(static s => ((DataConnection)s!).Close(), data);
            data.Progress();
            data.Bytes = await body(data).ConfigureAwait(false);
            await data.FinishAsync().ConfigureAwait(false);
            await ReplyAsync(226, closing).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException
            || (e is IOException && linked.IsCancellationRequested) || (e is IOException && e.InnerException is SocketException))
        {
            await (stall.IsCancellationRequested
                ? FailAsync("stalled", 426, "Transfer stalled; connection closed.", e)
                : FailAsync("aborted", 426, "Connection closed; transfer aborted.", e)).ConfigureAwait(false);
        }
        catch (IOException e) when ((e.HResult & 0xFFFF) == DiskFull)
        {
            await FailAsync("disk full", 452, "Insufficient storage space.", e).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await FailAsync("failed", 451, "Local error in processing.", e).ConfigureAwait(false);
        }
        finally
        {
            _dataConnected = false;
            data?.Close();
            cancellation.Dispose();
            var bytes = data?.Bytes ?? 0;
            var elapsed = _timeProvider.GetElapsedTime(started);
            if (_logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Information))
            {
                FtpServerLog.Transfer(_logger, Id, incoming switch { null => "list", true => "store", false => "retrieve" }, path, bytes, (long)elapsed.TotalMilliseconds, outcome);
            }

            if (incoming is { } direction && _context.TransferLog is { } log)
            {
                log.Write(new FtpTransferRecord(_timeProvider.GetLocalNow(), elapsed, Peer, bytes, path, _binary, direction, _anonymous, _user ?? "-", outcome == "complete"));
            }
        }

        // A transfer that ends early: logged with its cause, its partial work undone, then its reply.
        Task FailAsync(string reason, int code, string text, Exception exception)
        {
            outcome = reason;
            FtpServerLog.TransferFailed(_logger, Id, path, reason, exception);
            onFailure?.Invoke();
            return ReplyAsync(code, text);
        }
    }

    /// <summary>Opens the data connection and, under PROT P, its TLS handshake (which may resume the control connection's session).</summary>
    private async Task<DataConnection> OpenDataAsync(FtpDataChannel channel, bool incoming, CancellationTokenSource stall, CancellationToken cancellationToken)
    {
        var socket = await channel.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (!_protectData)
        {
            return new DataConnection(socket, new NetworkStream(socket, ownsSocket: false), encrypted: false, stall, _options.StalledTransferTimeout, cancellationToken);
        }

        var tls = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false);
        try
        {
            using var timeout = new CancellationTokenSource(_options.DataConnectionTimeout, _timeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            await tls.AuthenticateAsServerAsync(_context.TlsOptions(upload: incoming), linked.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
        {
            FtpServerLog.TlsFailed(_logger, Id, "data", e.Message);
            await tls.DisposeAsync().ConfigureAwait(false);
            socket.Dispose();
            throw;
        }

        return new DataConnection(socket, tls, encrypted: true, stall, _options.StalledTransferTimeout, cancellationToken);
    }

    /// <summary>Sends a file from its open handle with the kernel's zero-copy path (sendfile), from <paramref name="offset"/>.</summary>
    private static async Task<long> SendFileAsync(Socket socket, FileStream file, long offset, long length, DataConnection data)
    {
        var sent = 0L;
        while (offset + sent < length)
        {
            data.Token.ThrowIfCancellationRequested();
            var count = (int)Math.Min(length - offset - sent, SendFileChunk);
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
            data.Bytes = sent;
            data.Progress();
        }

        return sent;
    }

    /// <summary>A buffered download (TLS, ASCII mode, or storage without a file handle); in ASCII mode local line ends (LF) go out as CRLF.</summary>
    private static async Task<long> SendCopyAsync(DataConnection data, Stream file, long offset, bool binary)
    {
        if (offset > 0)
        {
            file.Position = Math.Min(offset, file.Length);
        }

        var input = new byte[binary ? CopyBufferSize : 64 * 1024];
        var output = binary ? input : new byte[input.Length * 2];
        long sent = 0;
        var previous = (byte)0;
        int read;
        while ((read = await file.ReadAsync(input, data.Token).ConfigureAwait(false)) > 0)
        {
            var n = read;
            if (!binary)
            {
                n = 0;
                for (var i = 0; i < read; i++)
                {
                    if (input[i] == (byte)'\n' && previous != (byte)'\r')
                    {
                        output[n++] = (byte)'\r';
                    }

                    output[n++] = previous = input[i];
                }
            }

            await data.Stream.WriteAsync(output.AsMemory(0, n), data.Token).ConfigureAwait(false);
            sent += n;
            data.Bytes = sent;
            data.Progress();
        }

        return sent;
    }

    /// <summary>Receives until the client closes the data connection; in ASCII mode CRLF becomes LF.</summary>
    private async Task<long> ReceiveAsync(DataConnection data, Stream file)
    {
        if (data.Socket is { } socket)
        {
            // A large receive window lets the client send ahead while the disk write runs.
            socket.ReceiveBufferSize = CopyBufferSize;
        }

        var buffer = new byte[CopyBufferSize];
        long received = 0;
        var pendingCarriageReturn = false;
        int read;
        while ((read = await data.Stream.ReadAsync(buffer, data.Token).ConfigureAwait(false)) > 0)
        {
            received += read;
            if (_binary)
            {
                // Fill the buffer before writing: fewer, larger writes.
                while (read < buffer.Length && data.Socket is { Available: > 0 } plain)
                {
                    var more = plain.Receive(buffer, read, Math.Min(buffer.Length - read, plain.Available), SocketFlags.None);
                    if (more == 0)
                    {
                        break;
                    }

                    read += more;
                    received += more;
                }

                file.Write(buffer, 0, read);
                data.Bytes = received;
                data.Progress();
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

            await file.WriteAsync(buffer.AsMemory(0, n), data.Token).ConfigureAwait(false);
            data.Bytes = received;
            data.Progress();
        }

        if (pendingCarriageReturn)
        {
            file.WriteByte((byte)'\r');
        }

        return received;
    }

    /// <summary>
    /// An open data connection: the stream to use (TLS or plain), the socket when plain (for
    /// zero-copy sends), and the stall watch that each bit of progress re-arms.
    /// </summary>
    private sealed class DataConnection(Socket socket, Stream stream, bool encrypted, CancellationTokenSource stall, TimeSpan stallTimeout, CancellationToken token)
    {
        /// <summary>The socket, when the data is not encrypted (bytes can go to it directly).</summary>
        public Socket? Socket { get; } = encrypted ? null : socket;

        public Stream Stream { get; } = stream;

        public CancellationToken Token { get; } = token;

        /// <summary>The bytes moved so far (for the logs of a transfer cut short).</summary>
        public long Bytes { get; set; }

        public void Progress()
        {
            try
            {
                stall.CancelAfter(stallTimeout);
            }
            catch (ObjectDisposedException)
            {
                // The transfer has ended.
            }
        }

        /// <summary>
        /// Ends the connection cleanly: TLS close_notify, then the TCP close. Every byte has been
        /// handed over by now, so a client that resets the connection at its end (as TLS 1.3
        /// clients do when session tickets arrive unread) does not turn the transfer into a failure.
        /// </summary>
        public async Task FinishAsync()
        {
            try
            {
                if (encrypted && Stream is SslStream tls)
                {
                    await tls.ShutdownAsync().ConfigureAwait(false);
                }

                socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                // The client has closed first.
            }

            Close();
        }

        public void Close()
        {
            Stream.Dispose();
            socket.Dispose();
        }
    }
}
