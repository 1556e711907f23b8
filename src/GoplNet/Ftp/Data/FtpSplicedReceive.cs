using System.Net.Sockets;
using System.Runtime.InteropServices;
using GoplNet.Interop;

namespace GoplNet.Ftp.Data;

/// <summary>
/// The Linux receive path of a long plain binary upload into a local file: splice(2) moves the
/// socket's bytes into a pipe and from the pipe into the file, so they are copied once, into the
/// page cache, and never pass through this process (a read and a write copy them twice). Used by
/// <see cref="FtpDataCopy.ReceiveAsync"/> on its own thread; anywhere splice is not offered (another
/// system, a file system without it, no descriptor left for the pipe) it declines before a byte has
/// moved and the caller reads and writes as before.
/// </summary>
internal static unsafe class FtpSplicedReceive
{
    private const int PipeBytes = 1024 * 1024;
    private const int WakeBytes = 256 * 1024;
    private const int CloseOnExec = 0x80000; // O_CLOEXEC
    private const int SetPipeSize = 1031; // F_SETPIPE_SZ
    private const uint Move = 1, NonBlocking = 2; // SPLICE_F_MOVE, SPLICE_F_NONBLOCK
    private const int Interrupted = 4, WouldBlock = 11, InvalidArgument = 22, NotImplemented = 38; // EINTR, EAGAIN, EINVAL, ENOSYS

    /// <summary>
    /// Moves the rest of the upload from <paramref name="socket"/> to <paramref name="file"/> at its
    /// current position (leaving the position after the last byte) and adds the bytes to
    /// <paramref name="received"/>; false, with nothing moved, when splice is not available here.
    /// When the socket is empty it waits with a poll of at most a fifth of a second, so cancellation is seen at once.
    /// </summary>
    public static bool TryReceive(FtpDataConnection data, Socket socket, FileStream file, ref long received, long maxBytes)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        var pipe = stackalloc int[2];
        if (LibC.Pipe2(pipe, CloseOnExec) != 0)
        {
            return false;
        }

        _ = LibC.Fcntl(pipe[1], SetPipeSize, PipeBytes); // a smaller pipe only means more calls
        var socketHandle = socket.SafeHandle;
        var fileHandle = file.SafeFileHandle;
        bool socketHeld = false, fileHeld = false;
        try
        {
            // Held so that a socket closed by another thread (ABOR, stop) keeps its descriptor number until this loop lets go.
            socketHandle.DangerousAddRef(ref socketHeld);
            fileHandle.DangerousAddRef(ref fileHeld);
            var socketDescriptor = (int)socketHandle.DangerousGetHandle();
            var fileDescriptor = (int)fileHandle.DangerousGetHandle();
            var position = file.Position;
            WakeForBatches(socket, WakeBytes);
            var moved = false;
            while (true)
            {
                data.Token.ThrowIfCancellationRequested();
                var allowed = maxBytes - received; // one byte past the limit is enough to refuse the upload
                var want = allowed >= PipeBytes ? PipeBytes : (nuint)allowed + 1;
                var inPipe = LibC.Splice(socketDescriptor, null, pipe[1], null, want, Move | NonBlocking);
                if (inPipe < 0)
                {
                    var error = Marshal.GetLastPInvokeError();
                    if (error is WouldBlock)
                    {
                        _ = socket.Poll(TimeSpan.FromMilliseconds(200), SelectMode.SelectRead);
                        continue;
                    }

                    if (error is Interrupted)
                    {
                        continue;
                    }

                    if (!moved && error is InvalidArgument or NotImplemented)
                    {
                        WakeForBatches(socket, 1); // the caller's reads wake per segment again
                        return false;
                    }

                    throw new SocketException(error);
                }

                if (inPipe == 0)
                {
                    file.Position = position;
                    return true;
                }

                moved = true;
                received += inPipe;
                if (received > maxBytes)
                {
                    throw new FtpUploadTooLargeException();
                }

                for (var left = inPipe; left > 0;)
                {
                    var written = LibC.Splice(pipe[0], null, fileDescriptor, &position, (nuint)left, Move);
                    if (written < 0 && Marshal.GetLastPInvokeError() is var error and not Interrupted)
                    {
                        throw new IOException($"Writing the upload failed (errno {error}).", error);
                    }

                    left -= Math.Max(written, 0);
                }

                data.Progress(received);
            }
        }
        finally
        {
            if (fileHeld)
            {
                fileHandle.DangerousRelease();
            }

            if (socketHeld)
            {
                socketHandle.DangerousRelease();
            }

            _ = LibC.Close(pipe[0]);
            _ = LibC.Close(pipe[1]);
        }
    }

    /// <summary>
    /// Has the poll wake this thread when <paramref name="bytes"/> are waiting (or the client has
    /// closed). In the splice and direct loops that is 256 KiB, not every arriving segment: a quarter of the
    /// wake-ups and splices, about a fifth less CPU per upload; a client that pauses with less than
    /// that queued is still read at the poll's timeout.
    /// </summary>
    internal static void WakeForBatches(Socket socket, int bytes)
    {
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReceiveLowWater, bytes);
        }
        catch (SocketException)
        {
            // Not offered here: a wake-up for every segment, as before.
        }
    }
}
