using System.Net;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using GoplNet.Ftp.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GoplNet.Ftp.S3;

/// <summary>
/// FTP storage in an Amazon S3 (or S3-compatible) bucket, under a key prefix that is its root.
/// </summary>
/// <remarks>
/// <para>
/// Keys: the path <c>/a/b.txt</c> is the key <see cref="S3FtpFileSystemOptions.KeyPrefix"/> + <c>a/b.txt</c>;
/// paths arrive resolved (no <c>..</c>), so no key outside the prefix is ever read or written.
/// <see cref="GetSubtree"/> extends the prefix (a user's home).
/// </para>
/// <para>
/// Directories are key prefixes. A directory exists when a key lies under it: a file, or its zero-byte
/// marker object <c>dir/</c> that MKD creates and that keeps an empty directory. A directory listed without a marker
/// (made by another S3 client) behaves like any other; deleting or renaming away its last file leaves a marker so it
/// does not vanish. RMD removes the marker and refuses a directory that still has entries. Directories show the
/// Unix epoch as their time (S3 keeps none for a prefix).
/// </para>
/// <para>
/// Downloads stream a ranged GET from the offset (REST), never holding the object in memory. Uploads (STOR, STOU)
/// are multipart uploads that hold at most two parts of <see cref="S3FtpFileSystemOptions.PartSizeBytes"/> in
/// memory; the object appears only on commit (CompleteMultipartUpload, or one PUT for a file smaller than a part),
/// and an upload dropped before that is aborted and leaves the previous object as it was. STOU checks that the name
/// is still free just before completing: not atomic, another client may take the name in between.
/// </para>
/// <para>
/// Not supported (see <see cref="Capabilities"/>): APPE and REST+STOR (S3 objects cannot be appended to or written
/// in place; the server answers 504), atomic renames (a rename copies then deletes, object by object for a
/// directory, so a failure midway can leave both names), modification times (MFMT) and permission bits (SITE CHMOD).
/// </para>
/// </remarks>
public sealed partial class S3FtpFileSystem : IFtpFileSystem, IDisposable
{
    /// <summary>The largest object one CopyObject copies; larger ones are copied part by part.</summary>
    internal const long MaxSingleCopyBytes = 5L * 1024 * 1024 * 1024;

    private static readonly DateTime DirectoryTime = DateTime.UnixEpoch;

    private readonly IAmazonS3 _client;
    private readonly bool _ownsClient;
    private readonly string _bucket;
    private readonly string _prefix;
    private readonly int _partSize;
    private readonly ILogger _logger;

    /// <summary>A storage with a client of its own, built from the options (disposed with this storage).</summary>
    /// <param name="options">The bucket, prefix, endpoint and credentials.</param>
    /// <param name="logger">Logs what fails without failing the operation (an abort S3 refused). Default: none.</param>
    public S3FtpFileSystem(S3FtpFileSystemOptions options, ILogger<S3FtpFileSystem>? logger = null)
        : this(CreateClient(Validated(options)), options, ownsClient: true, logger)
    {
    }

    /// <summary>A storage that uses a client the application owns (and disposes); the options' connection settings are ignored.</summary>
    /// <param name="client">The S3 client.</param>
    /// <param name="options">The bucket, prefix and part size.</param>
    /// <param name="logger">Logs what fails without failing the operation (an abort S3 refused). Default: none.</param>
    public S3FtpFileSystem(IAmazonS3 client, S3FtpFileSystemOptions options, ILogger<S3FtpFileSystem>? logger = null)
        : this(client, Validated(options), ownsClient: false, logger)
    {
    }

    private S3FtpFileSystem(IAmazonS3 client, S3FtpFileSystemOptions options, bool ownsClient, ILogger? logger)
        : this(client, options.BucketName, options.NormalizedPrefix(), options.PartSizeBytes, ownsClient, logger ?? NullLogger.Instance)
    {
    }

    private S3FtpFileSystem(IAmazonS3 client, string bucket, string prefix, int partSize, bool ownsClient, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        (_client, _bucket, _prefix, _partSize, _ownsClient, _logger) = (client, bucket, prefix, partSize, ownsClient, logger);
    }

    /// <summary>The root as an S3 URI: <c>s3://bucket/prefix/</c>.</summary>
    public string Description => $"s3://{_bucket}/{_prefix}";

    /// <summary>None of the optional operations: S3 objects are written whole, renames copy, and objects keep no times or modes of their own.</summary>
    public FtpStorageCapabilities Capabilities => FtpStorageCapabilities.None;

    /// <summary>The key prefix that is this storage's root (empty, or ending with a slash).</summary>
    public string KeyPrefix => _prefix;

    /// <inheritdoc/>
    public async ValueTask<FtpEntry?> GetEntryAsync(string path, CancellationToken cancellationToken)
    {
        if (path == "/")
        {
            return new FtpEntry("/", true, false, 0, DirectoryTime, FtpEntry.DefaultMode(true));
        }

        var name = NameOf(path);
        if (await HeadAsync(FileKey(path), cancellationToken).ConfigureAwait(false) is { } head)
        {
            return File(name, head.ContentLength, head.LastModified);
        }

        return await DirectoryExistsAsync(path, cancellationToken).ConfigureAwait(false)
            ? new FtpEntry(name, true, false, 0, DirectoryTime, FtpEntry.DefaultMode(true))
            : null;
    }

    /// <summary>The entries of a directory: one ListObjectsV2 with the delimiter <c>/</c> per thousand keys, every page read.</summary>
    /// <param name="path">The directory's virtual path.</param>
    /// <param name="cancellationToken">Ends the wait.</param>
    /// <returns>Files and subdirectories in ordinal name order (the marker object not among them), or <see langword="null"/> when nothing is under the prefix.</returns>
    public async ValueTask<IReadOnlyList<FtpEntry>?> ListAsync(string path, CancellationToken cancellationToken)
    {
        var prefix = DirectoryKey(path);
        var entries = new List<FtpEntry>();
        var seenMarker = false;
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = prefix, Delimiter = "/", MaxKeys = ListPageSize };
        ListObjectsV2Response page;
        do
        {
            page = await Translate(() => _client.ListObjectsV2Async(request, cancellationToken)).ConfigureAwait(false);

            // A key with an empty segment (a//b, written by another client) has no name an FTP path can reach.
            foreach (var common in page.CommonPrefixes ?? [])
            {
                if (common.Length > prefix.Length + 1)
                {
                    entries.Add(new FtpEntry(common[prefix.Length..^1], true, false, 0, DirectoryTime, FtpEntry.DefaultMode(true)));
                }
            }

            foreach (var item in page.S3Objects ?? [])
            {
                if (item.Key == prefix)
                {
                    seenMarker = true;
                }
                else
                {
                    entries.Add(File(item.Key[prefix.Length..], item.Size, item.LastModified));
                }
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true && !string.IsNullOrEmpty(page.NextContinuationToken));

        if (entries.Count == 0 && !seenMarker && path != "/")
        {
            return null;
        }

        entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return entries;
    }

    /// <summary>Streams an object from an offset with a ranged GET; the stream holds the HTTP response, not the object.</summary>
    /// <param name="path">The file's virtual path.</param>
    /// <param name="offset">Where reading starts (REST).</param>
    /// <param name="cancellationToken">Ends the wait.</param>
    /// <returns>The response body; disposing it closes the response.</returns>
    public async ValueTask<Stream> OpenReadAsync(string path, long offset, CancellationToken cancellationToken)
    {
        var request = new GetObjectRequest { BucketName = _bucket, Key = FileKey(path) };
        if (offset > 0)
        {
            request.ByteRange = new ByteRange($"bytes={offset}-");
        }

        try
        {
            var response = await _client.GetObjectAsync(request, cancellationToken).ConfigureAwait(false);
            return new S3ResponseStream(response);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            // REST at the very end of the object: S3 refuses the empty range, the client expects no bytes.
            return Stream.Null;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new FileNotFoundException("No such file.", path, e);
        }
    }

    /// <summary>
    /// Begins a multipart upload (STOR, STOU); APPE and REST+STOR are <see cref="NotSupportedException"/>. The
    /// object appears on commit; a disposal without commit aborts the multipart upload.
    /// </summary>
    /// <param name="path">The file's virtual path, in an existing directory.</param>
    /// <param name="mode"><see cref="FtpUploadMode.Replace"/> or <see cref="FtpUploadMode.CreateNew"/>.</param>
    /// <param name="offset">Ignored: always 0 for the supported modes.</param>
    /// <param name="cancellationToken">Ends the wait.</param>
    /// <returns>The upload, whose stream supports asynchronous writes.</returns>
    public async ValueTask<FtpUpload> BeginUploadAsync(string path, FtpUploadMode mode, long offset, CancellationToken cancellationToken)
    {
        if (mode is not (FtpUploadMode.Replace or FtpUploadMode.CreateNew))
        {
            throw new NotSupportedException("S3 objects cannot be appended to or written from an offset.");
        }

        if (path == "/")
        {
            throw new IOException("Not a file name.");
        }

        await RequireDirectoryAsync(ParentOf(path), cancellationToken).ConfigureAwait(false);
        if (await DirectoryExistsAsync(path, cancellationToken).ConfigureAwait(false))
        {
            throw new IOException("The name is a directory.");
        }

        if (mode == FtpUploadMode.CreateNew && await HeadAsync(FileKey(path), cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new IOException("The name exists.");
        }

        return new S3FtpUpload(this, FileKey(path), mode == FtpUploadMode.CreateNew);
    }

    /// <inheritdoc/>
    public async ValueTask DeleteFileAsync(string path, CancellationToken cancellationToken)
    {
        var key = FileKey(path);
        if (path == "/" || await HeadAsync(key, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new FileNotFoundException("No such file.", path);
        }

        await Translate(() => _client.DeleteObjectAsync(_bucket, key, cancellationToken)).ConfigureAwait(false);
        await KeepDirectoryAsync(ParentOf(path), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates a directory's zero-byte marker object <c>dir/</c>.</summary>
    /// <param name="path">The new directory's virtual path, in an existing directory.</param>
    /// <param name="cancellationToken">Ends the wait.</param>
    /// <returns>When the marker exists.</returns>
    public async ValueTask CreateDirectoryAsync(string path, CancellationToken cancellationToken)
    {
        if (path == "/")
        {
            throw new IOException("The root exists.");
        }

        await RequireDirectoryAsync(ParentOf(path), cancellationToken).ConfigureAwait(false);
        if (await GetEntryAsync(path, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new IOException("The name exists.");
        }

        await PutMarkerAsync(DirectoryKey(path), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes an empty directory's marker; a prefix with any other key under it is an <see cref="IOException"/>.</summary>
    /// <param name="path">The directory's virtual path.</param>
    /// <param name="cancellationToken">Ends the wait.</param>
    /// <returns>When the marker is gone.</returns>
    public async ValueTask RemoveDirectoryAsync(string path, CancellationToken cancellationToken)
    {
        if (path == "/")
        {
            throw new UnauthorizedAccessException("The root cannot be removed.");
        }

        var prefix = DirectoryKey(path);
        var page = await Translate(() => _client.ListObjectsV2Async(
            new ListObjectsV2Request { BucketName = _bucket, Prefix = prefix, MaxKeys = 2 }, cancellationToken)).ConfigureAwait(false);
        var keys = (page.S3Objects ?? []).Select(o => o.Key).ToList();
        if (keys.Count == 0)
        {
            throw new DirectoryNotFoundException("No such directory.");
        }

        if (keys.Any(k => k != prefix))
        {
            throw new IOException("The directory is not empty.");
        }

        await Translate(() => _client.DeleteObjectAsync(_bucket, prefix, cancellationToken)).ConfigureAwait(false);
        await KeepDirectoryAsync(ParentOf(path), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Renames by copying then deleting: not atomic. A file is one CopyObject (a multipart copy over 5 GiB) then a
    /// DeleteObject; a directory copies every key under it, then deletes the originals, so a failure midway leaves
    /// the old name whole and part of the new one.
    /// </summary>
    /// <param name="path">The entry's virtual path.</param>
    /// <param name="newPath">Its new virtual path, in an existing directory; an existing file of that name is replaced (not a directory).</param>
    /// <param name="cancellationToken">Ends the wait.</param>
    /// <returns>When the old name is gone.</returns>
    public async ValueTask RenameAsync(string path, string newPath, CancellationToken cancellationToken)
    {
        if (path == "/" || newPath == "/" || newPath.StartsWith(path + "/", StringComparison.Ordinal))
        {
            throw new UnauthorizedAccessException("A directory cannot move into itself, and the root cannot move.");
        }

        if (path == newPath)
        {
            return;
        }

        var source = await GetEntryAsync(path, cancellationToken).ConfigureAwait(false) ?? throw new FileNotFoundException("No such file or directory.", path);
        await RequireDirectoryAsync(ParentOf(newPath), cancellationToken).ConfigureAwait(false);
        var target = await GetEntryAsync(newPath, cancellationToken).ConfigureAwait(false);
        if (target is { IsDirectory: true } || (source.IsDirectory && target is not null))
        {
            throw new IOException("The new name exists.");
        }

        if (!source.IsDirectory)
        {
            await CopyAsync(FileKey(path), FileKey(newPath), source.Length, cancellationToken).ConfigureAwait(false);
            await Translate(() => _client.DeleteObjectAsync(_bucket, FileKey(path), cancellationToken)).ConfigureAwait(false);
        }
        else
        {
            var from = DirectoryKey(path);
            var to = DirectoryKey(newPath);
            var objects = await ListAllAsync(from, cancellationToken).ConfigureAwait(false);
            foreach (var item in objects)
            {
                await CopyAsync(item.Key, to + item.Key[from.Length..], item.Size ?? 0, cancellationToken).ConfigureAwait(false);
            }

            foreach (var batch in objects.Chunk(1000))
            {
                var delete = new DeleteObjectsRequest { BucketName = _bucket, Objects = [.. batch.Select(o => new KeyVersion { Key = o.Key })] };
                await Translate(() => _client.DeleteObjectsAsync(delete, cancellationToken)).ConfigureAwait(false);
            }
        }

        await KeepDirectoryAsync(ParentOf(path), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The directory as a storage of its own whose root is the prefix extended by the path (a user's home); it shares this storage's client.</summary>
    /// <param name="path">The directory's virtual path; <c>/</c> returns this storage.</param>
    /// <returns>The storage rooted at <paramref name="path"/>.</returns>
    public IFtpFileSystem GetSubtree(string path) =>
        path == "/" ? this : new S3FtpFileSystem(_client, _bucket, DirectoryKey(path), _partSize, ownsClient: false, _logger);

    /// <summary>Disposes the client when this storage built it from options.</summary>
    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }

    /// <summary>Keys per ListObjectsV2 page (S3's default and maximum: 1,000); tests lower it to read many pages.</summary>
    internal int? ListPageSize { get; set; }

    internal IAmazonS3 Client => _client;

    internal string Bucket => _bucket;

    internal int PartSize => _partSize;

    internal ILogger Logger => _logger;

    internal async ValueTask<GetObjectMetadataResponse?> HeadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.GetObjectMetadataAsync(_bucket, key, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>S3 failures as the exceptions the session turns into replies (550).</summary>
    internal static async Task<T> Translate<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new FileNotFoundException(e.Message, e);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.Forbidden)
        {
            throw new UnauthorizedAccessException(e.Message, e);
        }
        catch (AmazonServiceException e)
        {
            throw new IOException($"S3: {e.Message}", e);
        }
    }

    private async ValueTask<bool> DirectoryExistsAsync(string path, CancellationToken cancellationToken)
    {
        if (path == "/")
        {
            return true;
        }

        var page = await Translate(() => _client.ListObjectsV2Async(
            new ListObjectsV2Request { BucketName = _bucket, Prefix = DirectoryKey(path), MaxKeys = 1 }, cancellationToken)).ConfigureAwait(false);
        return page.S3Objects is { Count: > 0 };
    }

    private async ValueTask RequireDirectoryAsync(string path, CancellationToken cancellationToken)
    {
        if (!await DirectoryExistsAsync(path, cancellationToken).ConfigureAwait(false))
        {
            throw new DirectoryNotFoundException("No such directory.");
        }
    }

    /// <summary>Puts a marker for a directory that has just lost its last key, so that it does not vanish with it.</summary>
    private async ValueTask KeepDirectoryAsync(string path, CancellationToken cancellationToken)
    {
        if (!await DirectoryExistsAsync(path, cancellationToken).ConfigureAwait(false))
        {
            await PutMarkerAsync(DirectoryKey(path), cancellationToken).ConfigureAwait(false);
        }
    }

    private Task<PutObjectResponse> PutMarkerAsync(string key, CancellationToken cancellationToken) =>
        Translate(() => _client.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = key, InputStream = new MemoryStream([]), UseChunkEncoding = false }, cancellationToken));

    private async ValueTask<List<S3Object>> ListAllAsync(string prefix, CancellationToken cancellationToken)
    {
        var objects = new List<S3Object>();
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = prefix };
        ListObjectsV2Response page;
        do
        {
            page = await Translate(() => _client.ListObjectsV2Async(request, cancellationToken)).ConfigureAwait(false);
            objects.AddRange(page.S3Objects ?? []);
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true && !string.IsNullOrEmpty(page.NextContinuationToken));

        return objects;
    }

    /// <summary>The key of a file: the prefix and the path without its leading slash.</summary>
    private string FileKey(string path) => _prefix + Relative(path);

    /// <summary>The key prefix of a directory: its key and a slash (the prefix itself for the root).</summary>
    private string DirectoryKey(string path) => path == "/" ? _prefix : _prefix + Relative(path) + "/";

    /// <summary>A resolved path without its leading slash; anything else is refused rather than mapped outside the prefix.</summary>
    private static string Relative(string path)
    {
        if (!path.StartsWith('/') || path.EndsWith('/') || path.Contains("//", StringComparison.Ordinal)
            || path.Split('/').Skip(1).Any(s => s is "." or ".."))
        {
            throw new UnauthorizedAccessException("Not a resolved path.");
        }

        return path[1..];
    }

    private static string ParentOf(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash <= 0 ? "/" : path[..slash];
    }

    private static string NameOf(string path) => path[(path.LastIndexOf('/') + 1)..];

    private static FtpEntry File(string name, long? length, DateTime? modified) =>
        new(name, false, false, length ?? 0, (modified ?? DirectoryTime).ToUniversalTime(), FtpEntry.DefaultMode(false));

    private static S3FtpFileSystemOptions Validated(S3FtpFileSystemOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options;
    }

    private static AmazonS3Client CreateClient(S3FtpFileSystemOptions options)
    {
        var config = new AmazonS3Config { ForcePathStyle = options.ForcePathStyle };
        if (options.Region is { } region)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        if (options.ServiceUrl is { } url)
        {
            config.ServiceURL = url;
            config.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
            config.ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
            if (options.Region is { } signingRegion)
            {
                config.AuthenticationRegion = signingRegion;
            }
        }

        return options.AccessKeyId is { Length: > 0 } id
            ? new AmazonS3Client(new BasicAWSCredentials(id, options.SecretAccessKey), config)
            : new AmazonS3Client(config);
    }
}
