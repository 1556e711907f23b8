using System.Buffers;
using System.Net.Sockets;

namespace GoplNet.Ftp.Data;

/// <summary>The byte-moving loops of transfers: zero-copy and buffered downloads, uploads, ASCII conversion on the way.</summary>
internal static class FtpDataCopy
{
    private const int CopyBufferSize = 1024 * 1024;

    /// <summary>
    /// Sends a file from its open handle with the kernel's zero-copy path (sendfile), from
    /// <paramref name="offset"/>, 16 MiB at a time. The bytes go out unseen by this process, so the
    /// stall watch counts the client's acknowledgements (see <see cref="FtpDataConnection.CountKernelSends"/>).
    /// </summary>
    public static async Task SendFileAsync(Socket socket, FileStream file, long offset, long length, FtpDataConnection data)
    {
        const int Chunk = 16 * 1024 * 1024;
        data.CountKernelSends();
        using var args = new SocketAsyncEventArgs();
        args.Completed += static (_, a) => ((TaskCompletionSource)a.UserToken!).TrySetResult();
        var sent = 0L;
        while (offset + sent < length)
        {
            data.Token.ThrowIfCancellationRequested();
            var count = (int)Math.Min(length - offset - sent, Chunk);
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            args.UserToken = done;
            args.SendPacketsElements = [new SendPacketsElement(file, offset + sent, count, endOfPacket: true)];
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
            data.Progress(sent);
        }
    }

    /// <summary>A buffered download (TLS, ASCII type, or storage without a file handle); in ASCII type local line ends (LF) go out as CRLF.</summary>
    public static async Task SendCopyAsync(FtpDataConnection data, Stream file, bool binary)
    {
        var input = ArrayPool<byte>.Shared.Rent(binary ? CopyBufferSize : 64 * 1024);
        var output = binary ? input : ArrayPool<byte>.Shared.Rent(input.Length * 2);
        try
        {
            long sent = 0;
            var previous = (byte)0;
            int read;
            while ((read = await file.ReadAsync(input, data.Token).ConfigureAwait(false)) > 0)
            {
                var n = binary ? read : FtpAsciiConversion.ToNetwork(input.AsSpan(0, read), output, ref previous);
                await data.Stream.WriteAsync(output.AsMemory(0, n), data.Token).ConfigureAwait(false);
                sent += n;
                data.Progress(sent);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(input);
            if (!binary)
            {
                ArrayPool<byte>.Shared.Return(output);
            }
        }
    }

    /// <summary>
    /// Receives until the client closes the data connection; in ASCII type CRLF becomes LF. A plain
    /// binary upload that goes on past its first MiB continues on a thread of its own with blocking
    /// reads and writes (a third of the CPU of asynchronous reads completing on the thread pool);
    /// small files never pay for that thread. Storage streams other than local files and memory are
    /// written asynchronously throughout. More than <paramref name="maxBytes"/> ends the upload with
    /// <see cref="FtpUploadTooLargeException"/>.
    /// </summary>
    public static async Task ReceiveAsync(FtpDataConnection data, Stream file, bool binary, long maxBytes = long.MaxValue)
    {
        var blockingWrites = file is FileStream or MemoryStream;
        const int LongUpload = 1024 * 1024;
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            long received = 0;
            var pendingCarriageReturn = false;
            int read;
            while ((read = await data.Stream.ReadAsync(buffer, data.Token).ConfigureAwait(false)) > 0)
            {
                received += read;
                if (received > maxBytes)
                {
                    throw new FtpUploadTooLargeException();
                }

                var n = binary ? read : FtpAsciiConversion.FromNetwork(buffer.AsSpan(0, read), ref pendingCarriageReturn);
                if (blockingWrites)
                {
                    file.Write(buffer, 0, n);
                }
                else
                {
                    await file.WriteAsync(buffer.AsMemory(0, n), data.Token).ConfigureAwait(false);
                }

                data.Progress(received);
                if (binary && blockingWrites && received >= LongUpload && data.Socket is { } socket)
                {
                    var sofar = received;
                    await Task.Factory.StartNew(() => ReceivePlain(data, socket, file, buffer, sofar, maxBytes), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)
                        .ConfigureAwait(false);
                    return;
                }
            }

            if (pendingCarriageReturn)
            {
                file.WriteByte((byte)'\r');
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The rest of a long plain binary upload: reads as large as the socket gives and blocking writes. A read is made
    /// only when data (or the end) is there: the wait for it is a poll of at most a fifth of a
    /// second, so a cancelled transfer (ABOR, stall, stop) is seen at once and this thread never
    /// blocks on a socket another thread closes.
    /// </summary>
    private static void ReceivePlain(FtpDataConnection data, Socket socket, Stream file, byte[] buffer, long received, long maxBytes)
    {
        while (true)
        {
            data.Token.ThrowIfCancellationRequested();
            if (socket.Available == 0 && !socket.Poll(TimeSpan.FromMilliseconds(200), SelectMode.SelectRead))
            {
                continue;
            }

            var read = socket.Receive(buffer);
            if (read == 0)
            {
                return;
            }

            received += read;
            if (received > maxBytes)
            {
                throw new FtpUploadTooLargeException();
            }

            file.Write(buffer, 0, read);
            data.Progress(received);
        }
    }
}

/// <summary>An upload went past the account's <see cref="Authentication.FtpAccount.MaxUploadBytes"/> (552).</summary>
internal sealed class FtpUploadTooLargeException() : IOException("The upload is larger than the account may store.");
