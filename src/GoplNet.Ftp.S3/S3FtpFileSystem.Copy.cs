using Amazon.S3.Model;

namespace GoplNet.Ftp.S3;

public sealed partial class S3FtpFileSystem
{
    /// <summary>The largest object copied with one CopyObject (S3's limit, 5 GiB); tests lower it.</summary>
    internal long SingleCopyLimitBytes { get; set; } = MaxSingleCopyBytes;

    /// <summary>The part size of a multipart copy.</summary>
    internal long CopyPartBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Copies an object within the bucket: one CopyObject, or UploadPartCopy ranges for an object over <see cref="SingleCopyLimitBytes"/>.</summary>
    private async Task CopyAsync(string from, string to, long length, CancellationToken cancellationToken)
    {
        if (length <= SingleCopyLimitBytes)
        {
            var copy = new CopyObjectRequest { SourceBucket = _bucket, SourceKey = from, DestinationBucket = _bucket, DestinationKey = to };
            await Translate(() => _client.CopyObjectAsync(copy, cancellationToken)).ConfigureAwait(false);
            return;
        }

        var started = await Translate(() => _client.InitiateMultipartUploadAsync(
            new InitiateMultipartUploadRequest { BucketName = _bucket, Key = to }, cancellationToken)).ConfigureAwait(false);
        var completed = false;
        try
        {
            var parts = new List<PartETag>();
            for (long first = 0; first < length; first += CopyPartBytes)
            {
                var part = new CopyPartRequest
                {
                    SourceBucket = _bucket,
                    SourceKey = from,
                    DestinationBucket = _bucket,
                    DestinationKey = to,
                    UploadId = started.UploadId,
                    PartNumber = parts.Count + 1,
                    FirstByte = first,
                    LastByte = Math.Min(first + CopyPartBytes, length) - 1,
                };
                var copied = await Translate(() => _client.CopyPartAsync(part, cancellationToken)).ConfigureAwait(false);
                parts.Add(new PartETag(part.PartNumber.Value, copied.ETag));
            }

            await Translate(() => _client.CompleteMultipartUploadAsync(
                new CompleteMultipartUploadRequest { BucketName = _bucket, Key = to, UploadId = started.UploadId, PartETags = parts }, cancellationToken)).ConfigureAwait(false);
            completed = true;
        }
        finally
        {
            if (!completed)
            {
                await AbortBestEffortAsync(to, started.UploadId).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Aborts a multipart upload, logging rather than throwing when S3 refuses (some S3-compatible services do not implement it).</summary>
    internal async Task AbortBestEffortAsync(string key, string uploadId)
    {
        try
        {
            await _client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = _bucket, Key = key, UploadId = uploadId }, CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is Amazon.Runtime.AmazonServiceException or IOException or HttpRequestException)
        {
            S3FtpLog.AbortFailed(_logger, _bucket, key, e);
        }
    }
}
