using GoplNet.Ftp.Authentication;

namespace GoplNet.Ftp.S3.Tests;

/// <summary>A real FtpServer on the S3 storage, driven by curl and Python's ftplib.</summary>
[Collection(S3rverGroup.Name)]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes the server through IAsyncLifetime.DisposeAsync.")]
public sealed class S3FtpServerTests(S3rverFixture s3) : IAsyncLifetime
{
    private readonly string _work = Directory.CreateTempSubdirectory("goplnet-s3-ftp-").FullName;
    private S3FtpFileSystem _fs = null!;
    private string _prefix = string.Empty;
    private FtpServer _server = null!;

    private string Url => $"ftp://alice:secret@127.0.0.1:{_server.LocalEndPoint.Port}";

    public async Task InitializeAsync()
    {
        _fs = s3.NewFileSystem(out _prefix);
        _server = new FtpServer(new FtpServerOptions { Port = 0, FileSystem = _fs, AllowAnonymous = false, Users = { FtpUser.WithPassword("alice", "secret") } });
        await _server.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _fs.Dispose();
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task Curl_UploadsAndDownloadsAMultipartFileByteForByte_AndResumesADownload()
    {
        var content = S3FtpFileSystemTests.RandomBytes(11 * 1024 * 1024 + 7);
        var source = Path.Combine(_work, "up.bin");
        await File.WriteAllBytesAsync(source, content);
        await CurlAsync("-T", source, Url + "/data/up.bin", "--ftp-create-dirs");
        Assert.Equal(content, await s3.GetAsync(_prefix + "data/up.bin"));

        var whole = Path.Combine(_work, "down.bin");
        await CurlAsync("-o", whole, Url + "/data/up.bin");
        Assert.Equal(content, await File.ReadAllBytesAsync(whole));

        var tail = Path.Combine(_work, "tail.bin");
        await CurlAsync("-r", "6000000-", "-o", tail, Url + "/data/up.bin");
        Assert.Equal(content[6_000_000..], await File.ReadAllBytesAsync(tail));
    }

    [Fact]
    public async Task Nlst_OfAThousandObjectDirectory_ListsEveryName()
    {
        var names = Enumerable.Range(0, 1_050).Select(i => $"n{i:d4}").ToList();
        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (name, _) => await s3.PutAsync(_prefix + "many/" + name, []));
        var listing = await CurlAsync("-l", Url + "/many/");
        Assert.Equal(names, listing.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Ftplib_MakesRemovesAndRenamesDirectories_RenamesFiles_AndIsRefusedAppend()
    {
        await s3.PutAsync(_prefix + "a.txt", "A"u8.ToArray());
        var output = await FtplibAsync("""
            ftp.mkd('/d'); ftp.mkd('/d/e')
            try: ftp.rmd('/d')
            except ftplib.error_perm as e: print('rmd-nonempty', str(e)[:3])
            ftp.rename('/a.txt', '/d/e/b.txt'); ftp.rename('/d', '/r')
            print('list', sorted(ftp.nlst('/r/e')))
            try: ftp.storbinary('APPE /r/e/b.txt', io.BytesIO(b'more'))
            except ftplib.error_perm as e: print('appe', str(e)[:3])
            ftp.delete('/r/e/b.txt'); ftp.rmd('/r/e'); ftp.rmd('/r')
            print('root', ftp.nlst('/'))
            """);
        Assert.Contains("rmd-nonempty 550", output, StringComparison.Ordinal);
        Assert.Contains("list ['b.txt']", output, StringComparison.Ordinal);
        Assert.Contains("appe 504", output, StringComparison.Ordinal);
        Assert.Contains("root []", output, StringComparison.Ordinal);
        Assert.Empty(await s3.KeysAsync(_prefix));
    }

    [Fact]
    public async Task Upload_DroppedMidway_LeavesThePreviousObjectAndNoOther()
    {
        await s3.PutAsync(_prefix + "keep.bin", "previous"u8.ToArray());
        await FtplibAsync("""
            ftp.voidcmd('TYPE I')
            data, _ = ftp.ntransfercmd('STOR /keep.bin')
            chunk = os.urandom(1 << 20)
            for _ in range(7): data.sendall(chunk)
            data.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
            os._exit(0)
            """);

        // The session sees the reset, disposes the upload and aborts it; the old object must stay whatever the timing.
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal("previous"u8.ToArray(), await s3.GetAsync(_prefix + "keep.bin"));
            await Task.Delay(100);
        }

        Assert.Equal([_prefix + "keep.bin"], await s3.KeysAsync(_prefix));
    }

    [Fact]
    public async Task Lftp_MirrorsATreeUpAndBackDown()
    {
        var local = Directory.CreateDirectory(Path.Combine(_work, "tree")).FullName;
        Directory.CreateDirectory(Path.Combine(local, "sub dir", "deeper"));
        await File.WriteAllBytesAsync(Path.Combine(local, "top.bin"), S3FtpFileSystemTests.RandomBytes(6 * 1024 * 1024 + 3));
        await File.WriteAllTextAsync(Path.Combine(local, "sub dir", "notes é.txt"), "notes\n");
        await File.WriteAllTextAsync(Path.Combine(local, "sub dir", "deeper", "leaf.txt"), "leaf\n");
        var back = Path.Combine(_work, "back");

        var (code, _, error) = await Processes.RunAsync(
            "lftp",
            ["-c", $"set net:max-retries 1; set net:timeout 20; open -u alice,secret -p {_server.LocalEndPoint.Port} 127.0.0.1; mirror -R '{local}' /mirrored; mirror /mirrored '{back}'"],
            TimeSpan.FromSeconds(90));

        Assert.True(code == 0, $"lftp exited {code}: {error}");
        foreach (var file in Directory.EnumerateFiles(local, "*", SearchOption.AllDirectories))
        {
            Assert.Equal(await File.ReadAllBytesAsync(file), await File.ReadAllBytesAsync(Path.Combine(back, Path.GetRelativePath(local, file))));
        }

        Assert.Equal(
            ["mirrored/", "mirrored/sub dir/", "mirrored/sub dir/deeper/", "mirrored/sub dir/deeper/leaf.txt", "mirrored/sub dir/notes é.txt", "mirrored/top.bin"],
            (await s3.KeysAsync(_prefix)).Select(k => k[_prefix.Length..]).Order(StringComparer.Ordinal));
    }

    private static async Task<string> CurlAsync(params string[] arguments)
    {
        var (code, output, error) = await Processes.RunAsync("curl", ["-sS", "--max-time", "60", .. arguments], TimeSpan.FromSeconds(90));
        Assert.True(code == 0, $"curl exited {code}: {error}");
        return output;
    }

    private async Task<string> FtplibAsync(string body)
    {
        var script = "import ftplib, io, os, socket, struct\n"
            + $"ftp = ftplib.FTP(); ftp.connect('127.0.0.1', {_server.LocalEndPoint.Port}); ftp.login('alice', 'secret')\n"
            + body;
        var (code, output, error) = await Processes.RunAsync("python3", ["-c", script], TimeSpan.FromSeconds(60));
        Assert.True(code == 0, $"python3 exited {code}: {error}");
        return output;
    }
}
