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
    /// binary upload into a local file (or memory) runs on a transfer thread with blocking calls
    /// (<see cref="ReceiveBlocking"/>): asynchronous reads would register the socket with the
    /// runtime's event loop, whose wake-ups for every arriving segment cost more CPU than the
    /// copying itself. Storage streams other than local files and memory, TLS and ASCII are read
    /// asynchronously. More than <paramref name="maxBytes"/> ends the upload with
    /// <see cref="FtpUploadTooLargeException"/>. With <paramref name="direct"/> false a long upload
    /// is kept in the page cache (<see cref="FtpServerOptions.DirectUploads"/>).
    /// </summary>
    public static async Task ReceiveAsync(FtpDataConnection data, Stream file, bool binary, long maxBytes = long.MaxValue, bool direct = true)
    {
        var blockingWrites = file is FileStream or MemoryStream;
        if (binary && blockingWrites && data.Socket is { } socket)
        {
            await FtpTransferThreads.Run(() => ReceiveBlocking(data, socket, file, maxBytes, direct)).ConfigureAwait(false);
            return;
        }

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
    /// A plain binary upload into a local file or memory, on a transfer thread: non-blocking reads as
    /// large as the socket gives and blocking writes; past its first MiB, into a local file on Linux,
    /// the rest is written past the page cache (<see cref="FtpDirectReceive"/>) or, where the file
    /// system does not allow that, goes through the kernel alone (<see cref="FtpSplicedReceive"/>). When the socket is
    /// empty the wait is a poll of at most a fifth of a second, so a cancelled transfer (ABOR, stall,
    /// stop) is seen at once and this thread never blocks on a socket another thread closes.
    /// </summary>
    private static void ReceiveBlocking(FtpDataConnection data, Socket socket, Stream file, long maxBytes, bool direct)
    {
        const int LongUpload = 1024 * 1024;
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            socket.Blocking = false;
            long received = 0;
            var kernelPaths = file.GetType() == typeof(FileStream); // a subclass may do more in Write than the kernel would
            while (true)
            {
                data.Token.ThrowIfCancellationRequested();
                if (kernelPaths && received >= LongUpload)
                {
                    var local = (FileStream)file;
                    if ((direct && FtpDirectReceive.TryReceive(data, socket, local, ref received, maxBytes))
                        || FtpSplicedReceive.TryReceive(data, socket, local, ref received, maxBytes))
                    {
                        return;
                    }

                    kernelPaths = false;
                }

                var read = ReceiveSome(data, socket, buffer, 0, buffer.Length, ref received, maxBytes);
                if (read == 0)
                {
                    return;
                }

                if (read > 0)
                {
                    file.Write(buffer, 0, read);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// One non-blocking read into <paramref name="buffer"/> for an upload's blocking loops: the bytes
    /// read (counted into <paramref name="received"/> and the transfer's progress), 0 when the client
    /// has closed, -1 when nothing came within a poll of at most a fifth of a second (so the caller
    /// sees a cancelled transfer at once). More than <paramref name="maxBytes"/> in all ends the
    /// upload with <see cref="FtpUploadTooLargeException"/>.
    /// </summary>
    internal static int ReceiveSome(FtpDataConnection data, Socket socket, byte[] buffer, int offset, int count, ref long received, long maxBytes)
    {
        var read = socket.Receive(buffer, offset, count, SocketFlags.None, out var error);
        if (error == SocketError.WouldBlock)
        {
            _ = socket.Poll(TimeSpan.FromMilliseconds(200), SelectMode.SelectRead);
            return -1;
        }

        if (error != SocketError.Success)
        {
            throw new SocketException((int)error);
        }

        received += read;
        if (received > maxBytes)
        {
            throw new FtpUploadTooLargeException();
        }

        if (read > 0)
        {
            data.Progress(received);
        }

        return read;
    }
}

/// <summary>An upload went past the account's <see cref="Authentication.FtpAccount.MaxUploadBytes"/> (552).</summary>
internal sealed class FtpUploadTooLargeException() : IOException("The upload is larger than the account may store.");
