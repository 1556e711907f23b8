using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using GoplNet.Interop;

namespace GoplNet.Ftp.Data;

/// <summary>
/// The Linux receive path of a long plain binary upload into a local file, past the page cache
/// (O_DIRECT): the upload's thread reads the socket into 1 MiB blocks while a second transfer thread
/// writes them, up to three behind, through a second descriptor of the same file opened with
/// O_DIRECT (the stream's own descriptor keeps its flags). A buffered write first has the kernel find a free page
/// for every 4 KiB (reclaiming one when memory is full of cache, or, in a virtual machine whose
/// memory is backed on first touch, waiting for the host), so the same upload ran anywhere from 350
/// to 2,800 MB/s here depending on what the machine had done before; written past the cache, it
/// costs one copy (socket to block) and the device's own transfer, at the same pace from its first
/// block, and a long upload no longer evicts the files others are downloading. The bytes up to the
/// first 4 KiB boundary and the last partial block go through the stream's descriptor and the page cache.
/// Declines (false, nothing moved) on another system or a 32-bit one, on a file system other than
/// a local disk's (<see cref="OnLocalDisk"/>) and where the file system refuses the flag; a file system that takes the flag and then refuses an
/// aligned write gets the rest written through the page cache by the same two threads. A storage's
/// own FileStream subclass never comes here (its Write would not see the bytes).
/// </summary>
internal static unsafe class FtpDirectReceive
{
    private const int BlockBytes = 1024 * 1024;
    private const int Blocks = 4;
    private const int Alignment = 4096;
    private const int WakeBytes = 256 * 1024;
    private const int MaxPooled = 2 * Blocks;
    private const int MaxAtOnce = 16; // 64 MiB of blocks at most; further long uploads splice
    private const int WriteOnly = 1, CloseOnExec = 0x80000; // O_WRONLY, O_CLOEXEC
    private const int Interrupted = 4, InvalidArgument = 22; // EINTR, EINVAL
    private static readonly ConcurrentBag<byte[]> Pool = [];
    private static int _pooled;
    private static int _running;

    /// <summary>O_DIRECT's value on this architecture (it differs between them), or 0 where it is not used here (32-bit systems among them).</summary>
    private static int DirectFlag => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 0x4000,
        Architecture.Arm64 => 0x10000,
        _ => 0,
    };

    /// <summary>
    /// Whether the file lives on a local disk file system whose direct writes are plain block I/O:
    /// ext2/3/4, XFS, Btrfs, F2FS. Elsewhere the page cache is kept: on tmpfs it is the file itself,
    /// and on network and FUSE file systems a direct write can be a synchronous round trip.
    /// </summary>
    private static bool OnLocalDisk(int descriptor)
    {
        const long Ext = 0xEF53, Xfs = 0x58465342, Btrfs = 0x9123683E, F2fs = 0xF2F52010;
        var info = stackalloc byte[256]; // struct statfs is 120 bytes on 64-bit Linux
        return LibC.FStatFs(descriptor, info) == 0 && *(long*)info is Ext or Xfs or Btrfs or F2fs;
    }

    /// <summary>
    /// Moves the rest of the upload from <paramref name="socket"/> to <paramref name="file"/> at its
    /// current position (leaving the position after the last byte) and adds the bytes to
    /// <paramref name="received"/>; false, with nothing moved, when O_DIRECT is not available here.
    /// When the socket is empty it waits with a poll of at most a fifth of a second, so cancellation is seen at once.
    /// </summary>
    public static bool TryReceive(FtpDataConnection data, Socket socket, FileStream file, ref long received, long maxBytes)
    {
        var direct = DirectFlag;
        if (!OperatingSystem.IsLinux() || direct == 0)
        {
            return false;
        }

        if (Interlocked.Increment(ref _running) > MaxAtOnce)
        {
            Interlocked.Decrement(ref _running);
            return false;
        }

        var handle = file.SafeFileHandle;
        var held = false;
        Pipeline? pipeline = null;
        Task? writer = null;
        try
        {
            // Held so that a file closed by another thread keeps its descriptor number until both threads let go.
            handle.DangerousAddRef(ref held);
            // A second open file description of the same file, with O_DIRECT: the first keeps its
            // flags for the unaligned head and tail, and the writers never change a flag another is using.
            var descriptor = (int)handle.DangerousGetHandle();
            if (!OnLocalDisk(descriptor))
            {
                return false;
            }

            var directDescriptor = LibC.Open($"/proc/self/fd/{descriptor}", WriteOnly | CloseOnExec | direct);
            if (directDescriptor < 0)
            {
                return false;
            }

            try
            {
                pipeline = new Pipeline(descriptor, directDescriptor);
            }
            catch
            {
                _ = LibC.Close(directDescriptor);
                throw;
            }

            writer = FtpTransferThreads.Run(pipeline.WriteAll);
            FtpSplicedReceive.WakeForBatches(socket, WakeBytes);
            var position = file.Position;
            var head = (int)((Alignment - (position % Alignment)) % Alignment);
            for (var k = 0; ; k++)
            {
                var slot = k % Blocks;
                pipeline.Free.Wait(data.Token);
                pipeline.ThrowIfFailed();
                var want = k == 0 && head > 0 ? head : BlockBytes;
                var fill = Fill(data, socket, pipeline, slot, want, ref received, maxBytes);
                pipeline.Enqueue(k, position, fill);
                position += fill;
                if (fill < want)
                {
                    break;
                }
            }

            pipeline.Finish();

            writer.GetAwaiter().GetResult();
            pipeline.ThrowIfFailed();
            file.Position = position;
            return true;
        }
        catch (SocketException) when (writer is { IsCompleted: false })
        {
            // The client reset the connection: what arrived is still written (an append or a resume keeps it).
            pipeline!.Finish();
            ((IAsyncResult)writer).AsyncWaitHandle.WaitOne();
            throw;
        }
        finally
        {
            Interlocked.Decrement(ref _running);
            if (pipeline is not null)
            {
                if (writer is { IsCompleted: false })
                {
                    pipeline.Stop();
                    ((IAsyncResult)writer).AsyncWaitHandle.WaitOne();
                }

                pipeline.Dispose();
            }

            if (held)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>Reads into a block until it holds <paramref name="want"/> bytes or the client has closed; the bytes read.</summary>
    private static int Fill(FtpDataConnection data, Socket socket, Pipeline pipeline, int slot, int want, ref long received, long maxBytes)
    {
        var (array, start) = pipeline.Block(slot);
        var fill = 0;
        while (fill < want)
        {
            data.Token.ThrowIfCancellationRequested();
            pipeline.ThrowIfFailed();
            var read = FtpDataCopy.ReceiveSome(data, socket, array, start + fill, want - fill, ref received, maxBytes);
            if (read == 0)
            {
                break;
            }

            fill += Math.Max(read, 0);
        }

        return fill;
    }

    private static byte[] Rent()
    {
        if (Pool.TryTake(out var block))
        {
            Interlocked.Decrement(ref _pooled);
            return block;
        }

        return GC.AllocateUninitializedArray<byte>(BlockBytes + Alignment, pinned: true);
    }

    private static void Return(byte[] block)
    {
        if (Interlocked.Increment(ref _pooled) <= MaxPooled)
        {
            Pool.Add(block);
        }
        else
        {
            Interlocked.Decrement(ref _pooled);
        }
    }

    /// <summary>
    /// The blocks of one upload and the hand-over between its reading and its writing thread: the
    /// reader fills a free block and releases it as filled, the writer writes filled blocks in order
    /// and releases them as free. A write that fails is kept for the reader, which throws it.
    /// </summary>
    private sealed class Pipeline(int buffered, int direct) : IDisposable
    {
        private readonly byte[][] _arrays = Enumerable.Range(0, Blocks).Select(_ => Rent()).ToArray();
        private readonly int[] _lengths = new int[Blocks];
        private readonly long[] _positions = new long[Blocks];
        private readonly SemaphoreSlim _filled = new(0);
        private volatile bool _stopping;
        private int _enqueued;
        private volatile ExceptionDispatchInfo? _failure;
        private bool _directRefused; // only the writer reads and writes it

        /// <summary>Released once for every block written (one writer: in the order they were filled).</summary>
        public SemaphoreSlim Free { get; } = new(Blocks);

        /// <summary>A block's array and where its 4 KiB-aligned part starts (the arrays do not move: they are pinned).</summary>
        public (byte[] Array, int Start) Block(int slot)
        {
            var array = _arrays[slot];
            var address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
            return (array, (int)((Alignment - (address & (Alignment - 1))) & (Alignment - 1)));
        }

        public void Enqueue(int k, long position, int length)
        {
            var slot = k % Blocks;
            _positions[slot] = position;
            _lengths[slot] = length;
            Volatile.Write(ref _enqueued, k + 1);
            _filled.Release();
        }

        public void ThrowIfFailed() => _failure?.Throw();

        /// <summary>Every block is enqueued: the writer, once it has written them, ends.</summary>
        public void Finish() => _filled.Release();

        public void Stop()
        {
            _stopping = true;
            Finish();
        }

        /// <summary>The writing thread: every block in the order it was filled, until there are no more, a failure or <see cref="Stop"/>.</summary>
        public void WriteAll()
        {
            for (var k = 0; ; k++)
            {
                _filled.Wait();
                if (_stopping || k >= Volatile.Read(ref _enqueued))
                {
                    return;
                }

                try
                {
                    Write(k % Blocks);
                }
                catch (Exception e)
                {
                    _failure = ExceptionDispatchInfo.Capture(e);
                    Free.Release(); // wakes the reader if it waits for a block
                    return;
                }

                Free.Release();
            }
        }

        public void Dispose()
        {
            _ = LibC.Close(direct);
            foreach (var array in _arrays)
            {
                Return(array);
            }

            _filled.Dispose();
            Free.Dispose();
        }

        private void Write(int slot)
        {
            var (array, start) = Block(slot);
            var position = _positions[slot];
            var length = _lengths[slot];
            var descriptor = !_directRefused && position % Alignment == 0 && length % Alignment == 0 ? direct : buffered;
            fixed (byte* bytes = &array[start])
            {
                for (var written = 0; written < length;)
                {
                    var n = LibC.PWrite(descriptor, bytes + written, (nuint)(length - written), position + written);
                    if (n >= 0)
                    {
                        written += (int)n;
                        continue;
                    }

                    var error = Marshal.GetLastPInvokeError();
                    if (error is Interrupted)
                    {
                        continue;
                    }

                    if (error is InvalidArgument && descriptor == direct)
                    {
                        // The file system took the flag but not this write: the page cache from here on.
                        _directRefused = true;
                        descriptor = buffered;
                        continue;
                    }

                    throw new IOException($"Writing the upload failed (errno {error}).", error);
                }
            }
        }
    }
}
