using System.Diagnostics;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace GoplNet.Tests.Ftp;

/// <summary>Uploads never expose a half-written file, never lose the previous one, and are logged.</summary>
public sealed partial class FtpUploadSafetyTests
{
    private static readonly byte[] Old = "the previous version\n"u8.ToArray();

    [Fact]
    public async Task A_reset_data_connection_leaves_the_previous_file_and_no_temporary_file()
    {
        await using var server = await FtpTestServer.StartAsync();
        await File.WriteAllBytesAsync(Path.Combine(server.Root, "doc.txt"), Old);
        await using var client = await FtpTestClient.LoginAsync(server.EndPoint, "alice", "secret");

        var data = await client.PassiveAsync();
        await client.ExpectAsync("STOR doc.txt", 150);
        await data.SendAsync(new byte[256 * 1024]);
        await FtpTestServer.EventuallyAsync(() => Directory.GetFiles(server.Root, "*.part").Length == 1, "the upload has begun");
        data.LingerState = new LingerOption(true, 0);
        data.Dispose();

        Assert.Equal(426, (await client.ReadAsync()).Code);
        Assert.Equal(Old, await File.ReadAllBytesAsync(Path.Combine(server.Root, "doc.txt")));
        Assert.Equal(["doc.txt"], Directory.GetFiles(server.Root).Select(Path.GetFileName));
        await client.ExpectAsync("NOOP", 200);
    }

    [Fact]
    public async Task Two_clients_storing_one_name_at_once_leave_one_complete_file()
    {
        await using var server = await FtpTestServer.StartAsync();
        var first = Enumerable.Repeat((byte)'a', 3 * 1024 * 1024).ToArray();
        var second = Enumerable.Repeat((byte)'b', 2 * 1024 * 1024 + 1).ToArray();
        await using var one = await FtpTestClient.LoginAsync(server.EndPoint, "alice", "secret");
        await using var two = await FtpTestClient.LoginAsync(server.EndPoint, "alice", "secret");

        var replies = await Task.WhenAll(one.UploadAsync("STOR same.bin", first), two.UploadAsync("STOR same.bin", second));

        Assert.All(replies, r => Assert.Equal(226, r.Code));
        var result = await File.ReadAllBytesAsync(Path.Combine(server.Root, "same.bin"));
        Assert.True(result.SequenceEqual(first) || result.SequenceEqual(second), $"a mixed file of {result.Length} bytes");
        Assert.Equal(["same.bin"], Directory.GetFiles(server.Root).Select(Path.GetFileName));
    }

    [Fact]
    public async Task APPE_and_REST_STOR_write_in_place()
    {
        await using var server = await FtpTestServer.StartAsync();
        await File.WriteAllTextAsync(Path.Combine(server.Root, "log.txt"), "0123456789");
        await using var client = await FtpTestClient.LoginAsync(server.EndPoint, "alice", "secret");

        Assert.Equal(226, (await client.UploadAsync("APPE log.txt", "AB"u8.ToArray())).Code);
        Assert.Equal("0123456789AB", await File.ReadAllTextAsync(Path.Combine(server.Root, "log.txt")));
        await client.ExpectAsync("REST 4", 350);
        Assert.Equal(226, (await client.UploadAsync("STOR log.txt", "xy"u8.ToArray())).Code);
        Assert.Equal("0123xy", await File.ReadAllTextAsync(Path.Combine(server.Root, "log.txt")));
    }

    [Fact]
    public async Task The_transfer_log_has_one_xferlog_line_per_transfer()
    {
        var log = Path.GetTempFileName();
        try
        {
            await using (var server = await FtpTestServer.StartAsync(o => o.TransferLogPath = log))
            {
                await File.WriteAllTextAsync(Path.Combine(server.Root, "a b.txt"), "hello");
                await using (var client = await FtpTestClient.LoginAsync(server.EndPoint, "alice", "secret"))
                {
                    Assert.Equal(226, (await client.DownloadAsync("RETR a b.txt")).Reply.Code);
                    Assert.Equal(226, (await client.UploadAsync("STOR up.bin", new byte[1000])).Code);
                    Assert.Equal(226, (await client.DownloadAsync("LIST")).Reply.Code);
                }

                await using (var anonymous = await FtpTestClient.LoginAsync(server.EndPoint))
                {
                    await anonymous.ExpectAsync("TYPE A", 200);
                    Assert.Equal(226, (await anonymous.DownloadAsync("RETR up.bin")).Reply.Code);
                }
            }

            var lines = await File.ReadAllLinesAsync(log);
            Assert.Equal(3, lines.Length);
            Assert.Matches(XferLine("5", "/a_b.txt", "b", "o", "r", "alice"), lines[0]);
            Assert.Matches(XferLine("1000", "/up.bin", "b", "i", "r", "alice"), lines[1]);
            Assert.Matches(XferLine("1000", "/up.bin", "a", "o", "a", "anonymous"), lines[2]);
        }
        finally
        {
            File.Delete(log);
        }
    }

    [Theory]
    [InlineData("tmpfs", 1, 3 * Mebibyte)]
    [InlineData("tmpfs", 4, 8 * Mebibyte)] // the disk fills past the first MiB, in the splice loop (tmpfs keeps the page cache)
    [InlineData("ext4", 8, 16 * Mebibyte)] // ... in the direct writer: its failure reaches the session
    public async Task A_full_disk_answers_452_and_the_session_goes_on(string fileSystem, int mebibytes, int upload)
    {
        var mount = Directory.CreateTempSubdirectory("goplnet-ftp-full-").FullName;
        var image = mount + ".img";
        var mounted = fileSystem == "tmpfs"
            ? await RunAsync("mount", "-t", "tmpfs", "-o", $"size={mebibytes}m", "tmpfs", mount)
            : await MountImageAsync(image, mebibytes, mount);
        Assert.True(mounted == 0, $"this test mounts a small {fileSystem}, which needs root (as CI runs)");
        try
        {
            await using var server = await FtpTestServer.StartAsync(o => o.Root = mount);
            await using var client = await FtpTestClient.LoginAsync(server.EndPoint, "alice", "secret");

            var reply = await client.UploadAsync("STOR big.bin", Bytes(upload, seed: 9));

            Assert.Equal(452, reply.Code);
            Assert.Equal(["lost+found"], Directory.GetFileSystemEntries(mount).Select(Path.GetFileName).Where(n => n != "lost+found").Prepend("lost+found"));
            Assert.Equal(226, (await client.UploadAsync("STOR small.txt", "fits"u8.ToArray())).Code);
            Assert.Equal("fits", await File.ReadAllTextAsync(Path.Combine(mount, "small.txt")));
        }
        finally
        {
            await RunAsync("umount", mount);
            Directory.Delete(mount, recursive: true);
            File.Delete(image);
        }

        static async Task<int> MountImageAsync(string image, int mebibytes, string mount)
        {
            await using (var file = File.Create(image))
            {
                file.SetLength(mebibytes * (long)Mebibyte);
            }

            var made = await RunAsync("mkfs.ext4", "-q", "-F", "-O", "^has_journal", image);
            return made != 0 ? made : await RunAsync("mount", "-o", "loop", image, mount);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)] // DirectUploads off: the page cache keeps it
    public async Task A_long_upload_into_a_local_file_is_written_past_the_page_cache_unless_turned_off(bool direct)
    {
        // Beside the test binaries, on the repository's disk: a tmpfs root is page cache whatever the flags.
        var root = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "direct-" + Guid.NewGuid().ToString("N"))).FullName;
        try
        {
            await using var server = await FtpTestServer.StartAsync(o => (o.Root, o.DirectUploads) = (root, direct));
            await using var client = await FtpTestClient.LoginAsync(server.EndPoint, "alice", "secret");
            var bytes = Bytes(8 * Mebibyte + 1000, seed: 10);

            Assert.Equal(226, (await client.UploadAsync("STOR big.bin", bytes)).Code);

            var path = Path.Combine(root, "big.bin");
            Assert.Equal(direct ? 0 : 5 * Mebibyte / 4096, ResidentPages(path, 2 * Mebibyte, 7 * Mebibyte));
            await File.WriteAllBytesAsync(path + ".copy", bytes); // written the ordinary way: resident, which shows the check sees pages
            Assert.Equal(5 * Mebibyte / 4096, ResidentPages(path + ".copy", 2 * Mebibyte, 7 * Mebibyte));
            Assert.True(Same(bytes, await File.ReadAllBytesAsync(path)), "the bytes");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Long_uploads_stored_appended_and_resumed_land_at_their_offsets()
    {
        await using var server = await FtpTestServer.StartAsync();
        var path = Path.Combine(server.Root, "big.bin");
        await using var client = await FtpTestClient.LoginAsync(server.EndPoint, "alice", "secret");
        var first = Bytes(3 * Mebibyte + 17, seed: 1);
        var more = Bytes(2 * Mebibyte + 5, seed: 2);
        var tail = Bytes(4 * Mebibyte, seed: 3);
        const int restart = Mebibyte + 3;

        Assert.Equal(226, (await client.UploadAsync("STOR big.bin", first)).Code);
        Assert.True(Same(first, await File.ReadAllBytesAsync(path)), "STOR");
        Assert.Equal(226, (await client.UploadAsync("APPE big.bin", more)).Code);
        Assert.True(Same([.. first, .. more], await File.ReadAllBytesAsync(path)), "APPE");
        await client.ExpectAsync($"REST {restart}", 350);
        Assert.Equal(226, (await client.UploadAsync("STOR big.bin", tail)).Code);
        Assert.True(Same([.. first.AsSpan(0, restart), .. tail], await File.ReadAllBytesAsync(path)), "REST then STOR");
    }

    [Fact]
    public async Task A_long_upload_past_the_accounts_limit_is_refused_and_leaves_nothing()
    {
        await using var server = await FtpTestServer.StartAsync(o => o.Users[0] = o.Users[0] with { MaxUploadBytes = 2 * Mebibyte });
        await using var client = await FtpTestClient.LoginAsync(server.EndPoint, "alice", "secret");
        Assert.Equal(226, (await client.UploadAsync("STOR exact.bin", Bytes(2 * Mebibyte, seed: 4))).Code);

        using var data = await client.PassiveAsync();
        await client.ExpectAsync("STOR big.bin", 150);
        using var cts = new CancellationTokenSource(FtpTestClient.Timeout);
        try
        {
            await data.SendAsync(new byte[8 * Mebibyte], SocketFlags.None, cts.Token);
        }
        catch (SocketException)
        {
            // The server closes the data connection once the limit is passed.
        }

        Assert.Equal(552, (await client.ReadAsync()).Code);
        Assert.Equal(["exact.bin"], Directory.GetFiles(server.Root).Select(Path.GetFileName));
        Assert.Equal(2 * Mebibyte, new FileInfo(Path.Combine(server.Root, "exact.bin")).Length);
        await client.ExpectAsync("NOOP", 200);
    }

    [Theory]
    [InlineData(64 * 1024)]
    [InlineData(3 * Mebibyte)] // past the first MiB: the kernel moves the bytes (splice)
    public async Task ABOR_during_an_upload_is_answered_at_once_and_leaves_the_previous_file_and_no_temporary_file(int sent)
    {
        await using var server = await FtpTestServer.StartAsync();
        await File.WriteAllBytesAsync(Path.Combine(server.Root, "doc.txt"), Old);
        await using var client = await FtpTestClient.LoginAsync(server.EndPoint, "alice", "secret");

        using var data = await client.PassiveAsync();
        await client.ExpectAsync("STOR doc.txt", 150);
        await data.SendAsync(Bytes(sent, seed: 5));
        await FtpTestServer.EventuallyAsync(
            () => Directory.GetFiles(server.Root, "*.part") is [var part] && new FileInfo(part).Length >= Math.Min(sent, 2 * Mebibyte), "the upload is under way");
        await client.SendAsync("ABOR");

        Assert.Equal(426, (await client.ReadAsync()).Code);
        Assert.Equal(226, (await client.ReadAsync()).Code);
        Assert.Equal(Old, await File.ReadAllBytesAsync(Path.Combine(server.Root, "doc.txt")));
        Assert.Equal(["doc.txt"], Directory.GetFiles(server.Root).Select(Path.GetFileName));
        Assert.Equal(226, (await client.UploadAsync("STOR next.bin", Bytes(Mebibyte + 1, seed: 6))).Code);
    }

    [Fact]
    public async Task A_command_sent_the_moment_an_upload_is_answered_is_answered_in_a_long_series()
    {
        // Sync tools send their next command as soon as 226 arrives, while the transfer that sent it
        // may still be ending on another thread (here a handler of the transfer's end that takes a
        // varying while, as logging does): the command must never wait for a further line.
        await using var server = await FtpTestServer.StartAsync(o => o.Events.Add(new Unhurried()));
        await using var client = await FtpTestClient.LoginAsync(server.EndPoint, "alice", "secret");
        var payload = Bytes(4096, seed: 7);

        for (var i = 0; i < 600; i++)
        {
            Assert.Equal(226, (await client.UploadAsync($"STOR small-{i}.bin", payload)).Code);
            await client.ExpectAsync("TYPE I", 200);
        }

        Assert.Equal(600, Directory.GetFiles(server.Root, "small-*.bin").Length);
    }

    private const int Mebibyte = 1024 * 1024;

    private sealed class Unhurried : GoplNet.Ftp.Events.FtpServerEvents
    {
        private readonly Random _random = new(8);

        public override ValueTask OnTransferCompletedAsync(GoplNet.Ftp.Events.FtpTransferCompletedEvent e, CancellationToken cancellationToken)
        {
            int spins;
            lock (_random)
            {
                spins = _random.Next(20_000);
            }

            Thread.SpinWait(spins);
            return ValueTask.CompletedTask;
        }
    }

    private static bool Same(byte[] expected, byte[] actual) => expected.AsSpan().SequenceEqual(actual);

    /// <summary>How many 4 KiB pages of the file between <paramref name="from"/> and <paramref name="to"/> are in the page cache (mmap(2), then mincore(2)).</summary>
    private static int ResidentPages(string path, long from, long to)
    {
        using var file = File.OpenHandle(path);
        var length = (nuint)(to - from);
        var start = Map(0, length, 1, 1, (int)file.DangerousGetHandle(), from); // PROT_READ, MAP_SHARED: pages are touched only when read
        Assert.NotEqual(-1, start);
        try
        {
            var pages = new byte[(to - from) / 4096];
            Assert.Equal(0, MinCore(start, length, pages));
            return pages.Count(p => (p & 1) != 0);
        }
        finally
        {
            _ = Unmap(start, length);
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static extern nint Map(nint address, nuint length, int protection, int flags, int descriptor, long offset);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "munmap")]
    private static extern int Unmap(nint address, nuint length);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "mincore", SetLastError = true)]
    private static extern int MinCore(nint address, nuint length, byte[] pages);

    private static byte[] Bytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static Regex XferLine(string bytes, string path, string type, string direction, string access, string user) =>
        new($@"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{{2}} [ \d]\d \d\d:\d\d:\d\d \d{{4}} \d+ 127\.0\.0\.1 {bytes} {Regex.Escape(path)} {type} _ {direction} {access} {user} ftp 0 \* c$");

    private static async Task<int> RunAsync(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        using var cts = new CancellationTokenSource(FtpTestClient.Timeout);
        await process.WaitForExitAsync(cts.Token);
        return process.ExitCode;
    }
}
