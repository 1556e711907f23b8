using Amazon.S3.Model;
using GoplNet.Ftp.Storage;

namespace GoplNet.Ftp.S3;

/// <summary>
/// An upload sent as a multipart upload while it is received: one part fills while the previous one is sent, so at
/// most two parts are in memory. A file smaller than one part is sent with one PUT on commit; nothing is visible
/// under the key before the commit completes the upload, and a disposal without commit aborts it.
/// </summary>
internal sealed class S3FtpUpload : FtpUpload
{
    private const int Open = 0;
    private const int Committed = 1;
    private const int Disposed = 2;
    private const int FirstBufferBytes = 64 * 1024;

    private readonly S3FtpFileSystem _owner;
    private readonly string _key;
    private readonly bool _createNew;
    private readonly List<PartETag> _parts = [];
    private readonly UploadStream _stream;
    private byte[] _buffer = [];
    private int _filled;
    private byte[]? _spare;
    private Task<PartETag>? _sending;
    private byte[]? _sendingBuffer;
    private string? _uploadId;
    private int _state;

    public S3FtpUpload(S3FtpFileSystem owner, string key, bool createNew)
    {
        (_owner, _key, _createNew) = (owner, key, createNew);
        _stream = new UploadStream(this);
    }

    /// <summary>A write-only stream; writes return once the bytes are buffered (or, with a full part, once the previous part is sent).</summary>
    public override Stream Stream => _stream;

    /// <summary>Sends the last part and completes the multipart upload (or PUTs a small file); for STOU, first checks that the key is still free.</summary>
    /// <param name="cancellationToken">Ends the wait; the upload is then discarded.</param>
    /// <returns>When the object is visible.</returns>
    public override async ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _state) != Open, this);
        if (_uploadId is null)
        {
            await RefuseExistingAsync(cancellationToken).ConfigureAwait(false);
            var put = new PutObjectRequest { BucketName = _owner.Bucket, Key = _key, InputStream = new MemoryStream(_buffer, 0, _filled, writable: false), UseChunkEncoding = false };
            await S3FtpFileSystem.Translate(() => _owner.Client.PutObjectAsync(put, cancellationToken)).ConfigureAwait(false);
        }
        else
        {
            await SendPartAsync(cancellationToken).ConfigureAwait(false);
            _parts.Add(await _sending!.ConfigureAwait(false));
            _sending = null;
            await RefuseExistingAsync(cancellationToken).ConfigureAwait(false);
            var complete = new CompleteMultipartUploadRequest { BucketName = _owner.Bucket, Key = _key, UploadId = _uploadId, PartETags = _parts };
            await S3FtpFileSystem.Translate(() => _owner.Client.CompleteMultipartUploadAsync(complete, cancellationToken)).ConfigureAwait(false);
        }

        Interlocked.CompareExchange(ref _state, Committed, Open);
    }

    /// <summary>Without a commit, waits for the part in flight and aborts the multipart upload (best effort: a refusal is logged).</summary>
    /// <returns>When the upload is discarded.</returns>
    protected override async ValueTask DisposeAsyncCore()
    {
        if (Interlocked.Exchange(ref _state, Disposed) != Open || _uploadId is not { } uploadId)
        {
            return;
        }

        if (_sending is { } sending)
        {
            try
            {
                await sending.ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or OperationCanceledException or HttpRequestException)
            {
                // The part is abandoned with the upload.
            }
        }

        await _owner.AbortBestEffortAsync(_key, uploadId).ConfigureAwait(false);
    }

    private async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (data.Length > 0)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _state) != Open, this);
            if (_filled == _owner.PartSize)
            {
                // A part is sent only when more bytes follow it, so the last part is never empty.
                await SendPartAsync(cancellationToken).ConfigureAwait(false);
            }

            Reserve(Math.Min(_filled + data.Length, _owner.PartSize));
            var n = Math.Min(data.Length, _buffer.Length - _filled);
            data[..n].CopyTo(_buffer.AsMemory(_filled));
            _filled += n;
            data = data[n..];
        }
    }

    /// <summary>Grows the first buffer as the file does, so a small file never takes a whole part of memory.</summary>
    private void Reserve(int needed)
    {
        if (_buffer.Length >= needed)
        {
            return;
        }

        var grown = new byte[Math.Min(_owner.PartSize, Math.Max(needed, Math.Max(_buffer.Length * 2, FirstBufferBytes)))];
        _buffer.AsSpan(0, _filled).CopyTo(grown);
        _buffer = grown;
    }

    /// <summary>Waits for the part in flight, then starts sending the filled buffer and fills the freed one.</summary>
    private async ValueTask SendPartAsync(CancellationToken cancellationToken)
    {
        if (_uploadId is null)
        {
            var started = await S3FtpFileSystem.Translate(() => _owner.Client.InitiateMultipartUploadAsync(
                new InitiateMultipartUploadRequest { BucketName = _owner.Bucket, Key = _key }, cancellationToken)).ConfigureAwait(false);
            _uploadId = started.UploadId;
            if (Volatile.Read(ref _state) == Disposed)
            {
                // Disposed while the upload was being created: nobody else will abort it.
                await _owner.AbortBestEffortAsync(_key, _uploadId).ConfigureAwait(false);
                throw new ObjectDisposedException(nameof(S3FtpUpload));
            }
        }

        if (_sending is { } previous)
        {
            _parts.Add(await previous.ConfigureAwait(false));
            _spare = _sendingBuffer;
        }

        var full = _buffer;
        var length = _filled;
        _sending = UploadPartAsync(full, length, _parts.Count + 1, cancellationToken);
        _sendingBuffer = full;
        _buffer = _spare ?? new byte[_owner.PartSize];
        _spare = null;
        _filled = 0;
    }

    private async Task<PartETag> UploadPartAsync(byte[] buffer, int length, int number, CancellationToken cancellationToken)
    {
        var request = new UploadPartRequest
        {
            BucketName = _owner.Bucket,
            Key = _key,
            UploadId = _uploadId,
            PartNumber = number,
            PartSize = length,
            InputStream = new MemoryStream(buffer, 0, length, writable: false),
            UseChunkEncoding = false,
        };
        var response = await S3FtpFileSystem.Translate(() => _owner.Client.UploadPartAsync(request, cancellationToken)).ConfigureAwait(false);
        return new PartETag(number, response.ETag);
    }

    /// <summary>STOU's check that the name is still free: a HEAD just before the object appears, so not atomic.</summary>
    private async ValueTask RefuseExistingAsync(CancellationToken cancellationToken)
    {
        if (_createNew && await _owner.HeadAsync(_key, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new IOException("The name was taken during the upload.");
        }
    }

    /// <summary>The upload's write-only stream.</summary>
    private sealed class UploadStream(S3FtpUpload upload) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer) => upload.WriteAsync(buffer.ToArray(), CancellationToken.None).AsTask().GetAwaiter().GetResult();

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            upload.WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => upload.WriteAsync(buffer, cancellationToken);

        /// <summary>Nothing to do: bytes wait in the part buffer until a part is full or the upload commits.</summary>
        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
