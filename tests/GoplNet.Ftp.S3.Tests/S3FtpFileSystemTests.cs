using GoplNet.Ftp.Storage;

namespace GoplNet.Ftp.S3.Tests;

[Collection(S3rverGroup.Name)]
public sealed class S3FtpFileSystemTests(S3rverFixture s3)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Directories_AreMarkersThatMkdCreatesAndRmdRemovesWhenEmpty()
    {
        using var fs = s3.NewFileSystem(out var prefix);
        await fs.CreateDirectoryAsync("/docs", None);
        Assert.Contains(prefix + "docs/", await s3.KeysAsync(prefix));
        Assert.True((await fs.GetEntryAsync("/docs", None))!.Value.IsDirectory);
        Assert.Empty((await fs.ListAsync("/docs", None))!);
        Assert.Equal(["docs"], (await fs.ListAsync("/", None))!.Select(e => e.Name));
        await Assert.ThrowsAsync<IOException>(() => fs.CreateDirectoryAsync("/docs", None).AsTask());
        await Assert.ThrowsAsync<DirectoryNotFoundException>(() => fs.CreateDirectoryAsync("/missing/sub", None).AsTask());

        await s3.PutAsync(prefix + "docs/a.txt", "a"u8.ToArray());
        await Assert.ThrowsAsync<IOException>(() => fs.RemoveDirectoryAsync("/docs", None).AsTask());
        await fs.DeleteFileAsync("/docs/a.txt", None);
        await fs.RemoveDirectoryAsync("/docs", None);
        Assert.Null(await fs.GetEntryAsync("/docs", None));
        Assert.Null(await fs.ListAsync("/docs", None));
        await Assert.ThrowsAsync<DirectoryNotFoundException>(() => fs.RemoveDirectoryAsync("/docs", None).AsTask());
    }

    [Fact]
    public async Task GetEntryAsync_SeesADirectoryThatHasOnlyChildren()
    {
        using var fs = s3.NewFileSystem(out var prefix);
        await s3.PutAsync(prefix + "a/b/c.txt", "hello"u8.ToArray());
        Assert.True((await fs.GetEntryAsync("/a", None))!.Value.IsDirectory);
        Assert.True((await fs.GetEntryAsync("/a/b", None))!.Value.IsDirectory);
        var file = (await fs.GetEntryAsync("/a/b/c.txt", None))!.Value;
        Assert.Equal(("c.txt", false, 5L), (file.Name, file.IsDirectory, file.Length));
        Assert.Equal(["b"], (await fs.ListAsync("/a", None))!.Select(e => e.Name));

        // Deleting the last file keeps its directory, which only existed through it.
        await fs.DeleteFileAsync("/a/b/c.txt", None);
        Assert.True((await fs.GetEntryAsync("/a/b", None))!.Value.IsDirectory);
        Assert.Null(await fs.GetEntryAsync("/a/b/c.txt", None));
        await Assert.ThrowsAsync<FileNotFoundException>(() => fs.DeleteFileAsync("/a/b/c.txt", None).AsTask());
    }

    [Fact]
    public async Task ListAsync_ReadsEveryPageInOrdinalOrderWithoutTheMarker()
    {
        using var fs = s3.NewFileSystem(out var prefix);
        var names = Enumerable.Range(0, 1_100).Select(i => $"f{i:x4}.txt").ToList();
        await s3.PutAsync(prefix + "big/", []);
        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (name, _) => await s3.PutAsync(prefix + "big/" + name, "x"u8.ToArray()));
        await s3.PutAsync(prefix + "big/Sub/deep.txt", []);
        await s3.PutAsync(prefix + "big-sibling.txt", []);

        var expected = names.Append("Sub").Order(StringComparer.Ordinal).ToList();
        foreach (var pageSize in new int?[] { null, 97 })
        {
            fs.ListPageSize = pageSize;
            var entries = (await fs.ListAsync("/big", None))!;
            Assert.Equal(expected, entries.Select(e => e.Name));
            Assert.True(entries.Single(e => e.Name == "Sub").IsDirectory);
            Assert.All(entries.Where(e => e.Name != "Sub"), e => Assert.Equal(1, e.Length));
        }
    }

    [Fact]
    public async Task Upload_OfSeveralParts_AppearsOnlyOnCommitAndReadsBackFromAnyOffset()
    {
        using var fs = s3.NewFileSystem(out var prefix);
        var content = RandomBytes(12 * 1024 * 1024 + 123);
        await using (var upload = await fs.BeginUploadAsync("/big.bin", FtpUploadMode.Replace, 0, None))
        {
            for (var i = 0; i < content.Length; i += 100_000)
            {
                await upload.Stream.WriteAsync(content.AsMemory(i, Math.Min(100_000, content.Length - i)));
            }

            await upload.Stream.FlushAsync();
            Assert.Null(await fs.GetEntryAsync("/big.bin", None));
            await upload.CommitAsync(None);
        }

        Assert.Equal(content.Length, (await fs.GetEntryAsync("/big.bin", None))!.Value.Length);
        Assert.Equal(content, await ReadAsync(fs, "/big.bin", 0));
        Assert.Equal(content[7_000_001..], await ReadAsync(fs, "/big.bin", 7_000_001));
        Assert.Empty(await ReadAsync(fs, "/big.bin", content.Length));
        Assert.Equal([prefix + "big.bin"], await s3.KeysAsync(prefix));
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(11 * 1024 * 1024)]
    public async Task Upload_DisposedWithoutCommit_LeavesThePreviousObject(int size)
    {
        using var fs = s3.NewFileSystem(out var prefix);
        await s3.PutAsync(prefix + "f.bin", "old"u8.ToArray());
        await using (var upload = await fs.BeginUploadAsync("/f.bin", FtpUploadMode.Replace, 0, None))
        {
            await upload.Stream.WriteAsync(RandomBytes(size));
        }

        Assert.Equal("old"u8.ToArray(), await s3.GetAsync(prefix + "f.bin"));
        Assert.Equal([prefix + "f.bin"], await s3.KeysAsync(prefix));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(6 * 1024 * 1024)]
    public async Task Upload_CreateNew_RefusesANameTakenDuringTheUpload(int size)
    {
        using var fs = s3.NewFileSystem(out var prefix);
        await using var upload = await fs.BeginUploadAsync("/new.bin", FtpUploadMode.CreateNew, 0, None);
        await upload.Stream.WriteAsync(RandomBytes(size));
        await s3.PutAsync(prefix + "new.bin", "first"u8.ToArray());
        await Assert.ThrowsAsync<IOException>(() => upload.CommitAsync(None).AsTask());
        Assert.Equal("first"u8.ToArray(), await s3.GetAsync(prefix + "new.bin"));
        await Assert.ThrowsAsync<IOException>(() => fs.BeginUploadAsync("/new.bin", FtpUploadMode.CreateNew, 0, None).AsTask());
    }

    [Fact]
    public async Task Upload_ThatAppendsOrResumes_IsNotSupported()
    {
        using var fs = s3.NewFileSystem(out _);
        Assert.Equal(FtpStorageCapabilities.None, fs.Capabilities);
        await Assert.ThrowsAsync<NotSupportedException>(() => fs.BeginUploadAsync("/a", FtpUploadMode.Append, 0, None).AsTask());
        await Assert.ThrowsAsync<NotSupportedException>(() => fs.BeginUploadAsync("/a", FtpUploadMode.Resume, 5, None).AsTask());
        await Assert.ThrowsAsync<DirectoryNotFoundException>(() => fs.BeginUploadAsync("/missing/a", FtpUploadMode.Replace, 0, None).AsTask());
    }

    [Fact]
    public async Task RenameAsync_CopiesThenDeletesFilesAndWholeDirectories()
    {
        using var fs = s3.NewFileSystem(out var prefix);
        await s3.PutAsync(prefix + "a.txt", "A"u8.ToArray());
        await s3.PutAsync(prefix + "dir/", []);
        await s3.PutAsync(prefix + "dir/x.txt", "X"u8.ToArray());
        await s3.PutAsync(prefix + "dir/sub/y.txt", "Y"u8.ToArray());
        await fs.CreateDirectoryAsync("/other", None);

        await fs.RenameAsync("/a.txt", "/other/b.txt", None);
        await fs.RenameAsync("/dir", "/moved", None);

        string[] expected = ["moved/", "moved/sub/y.txt", "moved/x.txt", "other/", "other/b.txt"];
        Assert.Equal(
            expected.Select(k => prefix + k),
            (await s3.KeysAsync(prefix)).Order(StringComparer.Ordinal));
        await Assert.ThrowsAsync<IOException>(() => fs.RenameAsync("/other", "/moved", None).AsTask());
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => fs.RenameAsync("/moved", "/moved/sub/in", None).AsTask());
        await Assert.ThrowsAsync<FileNotFoundException>(() => fs.RenameAsync("/nothing", "/else", None).AsTask());
        await Assert.ThrowsAsync<DirectoryNotFoundException>(() => fs.RenameAsync("/other/b.txt", "/missing/b.txt", None).AsTask());
    }

    [Fact]
    public async Task RenameAsync_OverTheSingleCopyLimit_CopiesPartByPartAndLeavesTheSourceWhenThatFails()
    {
        // s3rver does not implement UploadPartCopy (501): this checks that the copy is tried part by part and that
        // its failure leaves the source whole and no target.
        using var fs = s3.NewFileSystem(out var prefix);
        fs.SingleCopyLimitBytes = S3FtpFileSystemOptions.MinimumPartSizeBytes;
        fs.CopyPartBytes = S3FtpFileSystemOptions.MinimumPartSizeBytes;
        var content = RandomBytes(6 * 1024 * 1024);
        await s3.PutAsync(prefix + "huge.bin", content);
        var error = await Assert.ThrowsAsync<IOException>(() => fs.RenameAsync("/huge.bin", "/renamed.bin", None).AsTask());
        Assert.Contains("not implemented", error.Message, StringComparison.Ordinal);
        Assert.Equal(content, await s3.GetAsync(prefix + "huge.bin"));
        Assert.Equal([prefix + "huge.bin"], await s3.KeysAsync(prefix));
    }

    [Fact]
    public async Task GetSubtree_ExtendsThePrefixAndNothingOutsideItIsSeen()
    {
        using var fs = s3.NewFileSystem(out var prefix);
        await s3.PutAsync(prefix + "secret.txt", "s"u8.ToArray());
        await fs.CreateDirectoryAsync("/home", None);
        await fs.CreateDirectoryAsync("/home/alice", None);
        var home = fs.GetSubtree("/home/alice");
        await using (var upload = await home.BeginUploadAsync("/mine.txt", FtpUploadMode.Replace, 0, None))
        {
            await upload.Stream.WriteAsync("mine"u8.ToArray());
            await upload.CommitAsync(None);
        }

        Assert.Equal("mine"u8.ToArray(), await s3.GetAsync(prefix + "home/alice/mine.txt"));
        Assert.Equal(["mine.txt"], (await home.ListAsync("/", None))!.Select(e => e.Name));
        Assert.Null(await home.GetEntryAsync("/secret.txt", None));
        Assert.Equal($"s3://{S3rverFixture.Bucket}/{prefix}home/alice/", home.Description);
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => home.GetEntryAsync("/../../secret.txt", None).AsTask());
    }

    [Fact]
    public void Options_AreValidatedWithOneMessagePerField()
    {
        var error = Assert.Throws<ArgumentException>(() => new S3FtpFileSystem(new S3FtpFileSystemOptions { PartSizeBytes = 1024, AccessKeyId = "x" }));
        Assert.Contains("BucketName", error.Message, StringComparison.Ordinal);
        Assert.Contains("PartSizeBytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("SecretAccessKey", error.Message, StringComparison.Ordinal);
    }

    internal static byte[] RandomBytes(int size)
    {
        var bytes = new byte[size];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    internal static async Task<byte[]> ReadAsync(IFtpFileSystem fs, string path, long offset)
    {
        await using var stream = await fs.OpenReadAsync(path, offset, None);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
