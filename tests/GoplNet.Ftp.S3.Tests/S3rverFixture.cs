using System.Diagnostics;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace GoplNet.Ftp.S3.Tests;

/// <summary>
/// A real s3rver (npm package s3rver 3.7.1, installed once into a folder under the temporary directory) on a free
/// loopback port with the bucket <c>test</c>, killed by its process id at the end. Node needs
/// <c>--openssl-legacy-provider</c>: without it s3rver answers the second page of a listing with HTTP 500.
/// </summary>
public sealed partial class S3rverFixture : IAsyncLifetime
{
    public const string Bucket = "test";
    private const string Version = "3.7.1";
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "goplnet-s3rver-data-" + Guid.NewGuid().ToString("N"));
    private Process? _process;

    public string ServiceUrl { get; private set; } = string.Empty;

    public AmazonS3Client Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var install = Path.Combine(Path.GetTempPath(), "goplnet-s3rver-" + Version);
        var script = Path.Combine(install, "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(script))
        {
            Directory.CreateDirectory(install);
            var (code, _, error) = await Processes.RunAsync("npm", ["install", "--no-audit", "--no-fund", "--prefix", install, "s3rver@" + Version], TimeSpan.FromMinutes(3));
            Assert.True(code == 0, "npm install s3rver failed: " + error);
        }

        PatchCopySource(install);
        Directory.CreateDirectory(_dataDirectory);
        var start = new ProcessStartInfo("node")
        {
            ArgumentList = { "--openssl-legacy-provider", script, "-d", _dataDirectory, "-p", "0", "-a", "127.0.0.1", "--configure-bucket", Bucket },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && ListeningLine().Match(line) is { Success: true } match)
            {
                listening.TrySetResult(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
        };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var port = await listening.Task.WaitAsync(TimeSpan.FromSeconds(30));
        ServiceUrl = $"http://127.0.0.1:{port}";
        Client = new AmazonS3Client(new BasicAWSCredentials("S3RVER", "S3RVER"), new AmazonS3Config
        {
            ServiceURL = ServiceUrl,
            ForcePathStyle = true,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });
    }

    public Task DisposeAsync()
    {
        Client?.Dispose();
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process?.Dispose();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }

    /// <summary>A storage under a prefix of its own, so that tests do not see each other's keys.</summary>
    public S3FtpFileSystem NewFileSystem(out string prefix, int partSize = S3FtpFileSystemOptions.MinimumPartSizeBytes)
    {
        prefix = "t" + Guid.NewGuid().ToString("N")[..12] + "/";
        return new S3FtpFileSystem(new S3FtpFileSystemOptions
        {
            BucketName = Bucket,
            KeyPrefix = prefix,
            ServiceUrl = ServiceUrl,
            ForcePathStyle = true,
            AccessKeyId = "S3RVER",
            SecretAccessKey = "S3RVER",
            PartSizeBytes = partSize,
        });
    }

    public Task PutAsync(string key, byte[] content) =>
        Client.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, InputStream = new MemoryStream(content), UseChunkEncoding = false });

    public async Task<byte[]?> GetAsync(string key)
    {
        try
        {
            using var response = await Client.GetObjectAsync(Bucket, key);
            using var copy = new MemoryStream();
            await response.ResponseStream.CopyToAsync(copy);
            return copy.ToArray();
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Every key under a prefix.</summary>
    public async Task<List<string>> KeysAsync(string prefix)
    {
        var keys = new List<string>();
        var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = prefix };
        ListObjectsV2Response page;
        do
        {
            page = await Client.ListObjectsV2Async(request);
            keys.AddRange((page.S3Objects ?? []).Select(o => o.Key));
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);
        return keys;
    }

    /// <summary>
    /// s3rver 3.7.1 reads x-amz-copy-source with decodeURI, which leaves the %2F that the AWS SDK for .NET 4 sends
    /// for every slash (real S3 accepts both): CopyObject then names a bucket that does not exist. The fix decodes it whole.
    /// </summary>
    private static void PatchCopySource(string install)
    {
        var controller = Path.Combine(install, "node_modules", "s3rver", "lib", "controllers", "object.js");
        var text = File.ReadAllText(controller);
        const string Broken = "decodeURI(ctx.headers['x-amz-copy-source'])";
        if (text.Contains(Broken, StringComparison.Ordinal))
        {
            File.WriteAllText(controller, text.Replace(Broken, "decodeURIComponent(ctx.headers['x-amz-copy-source'])", StringComparison.Ordinal));
        }
    }

    [GeneratedRegex(@"listening on [^:]+:(\d+)")]
    private static partial Regex ListeningLine();
}

[CollectionDefinition(Name)]
public sealed class S3rverGroup : ICollectionFixture<S3rverFixture>
{
    public const string Name = "s3rver";
}
