using Microsoft.Extensions.Logging;

namespace GoplNet.Ftp.S3;

/// <summary>The S3 storage's log messages; event ids 3100 to 3199.</summary>
internal static partial class S3FtpLog
{
    [LoggerMessage(EventId = 3100, EventName = "S3AbortFailed", Level = LogLevel.Warning,
        Message = "Could not abort the multipart upload of s3://{Bucket}/{Key}; its parts stay until a lifecycle rule removes them")]
    public static partial void AbortFailed(ILogger logger, string bucket, string key, Exception exception);
}
