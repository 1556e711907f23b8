namespace GoplNet.Ftp.S3;

/// <summary>Where an <see cref="S3FtpFileSystem"/> keeps its files, and how it reaches them.</summary>
public sealed class S3FtpFileSystemOptions
{
    /// <summary>The smallest part S3 accepts in a multipart upload (except the last one): 5 MiB.</summary>
    public const int MinimumPartSizeBytes = 5 * 1024 * 1024;

    /// <summary>The bucket that holds the files. Required.</summary>
    public string BucketName { get; set; } = string.Empty;

    /// <summary>
    /// The key prefix that is the FTP root (such as <c>ftp/</c>): the path <c>/a/b.txt</c> is the key
    /// <c>ftp/a/b.txt</c>, and no key outside the prefix is ever read or written. A missing trailing slash is
    /// added. Default: <see langword="null"/>, the whole bucket.
    /// </summary>
    public string? KeyPrefix { get; set; }

    /// <summary>The bucket's region system name, such as <c>eu-west-1</c>. Default: <see langword="null"/>, the SDK's (environment or profile).</summary>
    public string? Region { get; set; }

    /// <summary>
    /// The endpoint of an S3-compatible service, such as <c>http://127.0.0.1:9000</c>. Default:
    /// <see langword="null"/>, Amazon S3. With an endpoint the SDK sends request checksums and validates
    /// response checksums only where the operation requires them: many S3-compatible services do not
    /// understand the newer default (aws-chunked uploads with trailing checksums).
    /// </summary>
    public string? ServiceUrl { get; set; }

    /// <summary>Whether to address the bucket in the path (<c>host/bucket/key</c>) rather than the host name. Default: <see langword="false"/>.</summary>
    public bool ForcePathStyle { get; set; }

    /// <summary>The access key id; used only with <see cref="SecretAccessKey"/>. Default: <see langword="null"/>, the SDK's default credential chain.</summary>
    public string? AccessKeyId { get; set; }

    /// <summary>The secret access key; used only with <see cref="AccessKeyId"/>. Default: <see langword="null"/>, the SDK's default credential chain.</summary>
    public string? SecretAccessKey { get; set; }

    /// <summary>
    /// The size of the parts of a multipart upload, from 5 MiB to 5 GiB: an upload holds at most two parts in
    /// memory (one filling, one sending) whatever the file's size, and a file smaller than one part is sent with
    /// a single PUT. S3 allows 10,000 parts, so this also bounds the largest upload (8 MiB: about 78 GiB).
    /// Default: 8 MiB.
    /// </summary>
    public int PartSizeBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Checks the options, with one message per bad field.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    internal void Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(BucketName))
        {
            errors.Add("BucketName is required.");
        }

        if (PartSizeBytes < MinimumPartSizeBytes)
        {
            errors.Add($"PartSizeBytes must be at least {MinimumPartSizeBytes} (5 MiB), the smallest part S3 accepts.");
        }

        if (string.IsNullOrEmpty(AccessKeyId) != string.IsNullOrEmpty(SecretAccessKey))
        {
            errors.Add("AccessKeyId and SecretAccessKey are given together or not at all.");
        }

        if (KeyPrefix is { } prefix && (prefix.Split('/').Any(s => s is "." or "..")))
        {
            errors.Add("KeyPrefix must not contain '.' or '..' segments.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors));
        }
    }

    /// <summary>The prefix as keys use it: no leading slash, a trailing slash unless empty.</summary>
    internal string NormalizedPrefix()
    {
        var prefix = (KeyPrefix ?? string.Empty).Trim('/');
        return prefix.Length == 0 ? string.Empty : prefix + "/";
    }
}
