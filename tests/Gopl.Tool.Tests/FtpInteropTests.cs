using GoplNet.Ftp;
using GoplNet.Ftp.Authentication;

namespace Gopl.Tool.Tests;

/// <summary>
/// The FTP server against the standard clients, run as processes with retries off and short
/// timeouts: tnftp (the ftp command), curl, lftp and Python's ftplib. Every file is compared byte for byte.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "IAsyncLifetime.DisposeAsync disposes the server.")]
public sealed class FtpInteropTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly string _root = Directory.CreateTempSubdirectory("goplnet-ftp-root-").FullName;
    private readonly string _work = Directory.CreateTempSubdirectory("goplnet-ftp-client-").FullName;
    private readonly byte[] _payload = new byte[3 * 1024 * 1024 + 17];
    private FtpServer _server = null!;

    private int Port => _server.LocalEndPoint.Port;

    public async Task InitializeAsync()
    {
        new Random(6).NextBytes(_payload);
        await File.WriteAllBytesAsync(Path.Combine(_root, "payload.bin"), _payload);
        await File.WriteAllTextAsync(Path.Combine(_root, "hello.txt"), "hello ftp\n");

        // Far more than the socket buffers hold, so a transfer the client stops reading is still running at ABOR.
        await using (var huge = File.Create(Path.Combine(_root, "huge.bin")))
        {
            huge.SetLength(512L * 1024 * 1024);
        }
        var options = new FtpServerOptions { Root = _root, Port = 0 };
        options.Users.Add(FtpUser.WithPassword("alice", "s3cret pass"));
        _server = new FtpServer(options);
        await _server.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_root, recursive: true);
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task Pipelined_commands_in_one_packet_are_answered_in_order()
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        await socket.ConnectAsync(_server.LocalEndPoint);
        await socket.SendAsync("USER alice\r\nPASS s3cret pass\r\nCWD /nowhere\r\nPWD\r\nNOOP\r\nQUIT\r\n"u8.ToArray());

        var replies = new System.Text.StringBuilder();
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(Timeout);
        int read;
        while ((read = await socket.ReceiveAsync(buffer, System.Net.Sockets.SocketFlags.None, cts.Token)) > 0)
        {
            replies.Append(System.Text.Encoding.UTF8.GetString(buffer, 0, read));
        }

        var codes = replies.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Select(l => l[..3]).ToArray();
        Assert.Equal(["220", "331", "230", "550", "257", "200", "221"], codes);
    }

    [Theory]
    [InlineData("passive EPSV")]
    [InlineData("passive PASV", "--disable-epsv")]
    [InlineData("active EPRT", "-P", "-")]
    [InlineData("active PORT", "-P", "-", "--disable-eprt")]
    public async Task Curl_lists_downloads_and_uploads(string mode, params string[] options)
    {
        Assert.NotNull(mode);
        string[] common = ["-s", "-S", "--max-time", "20", "--retry", "0", "-u", "alice:s3cret pass", .. options];
        var listing = await ProcessRunner.RunAsync("curl", [.. common, $"ftp://127.0.0.1:{Port}/"], Timeout);
        Assert.True(listing.ExitCode == 0, listing.StandardError);
        Assert.Matches(@"(?m)^-rw-r--r-- 1 ftp ftp +3145745 \w{3} [ \d]\d (\d\d:\d\d| \d{4}) payload\.bin\r?$", listing.StandardOutput);

        var downloaded = Path.Combine(_work, "down.bin");
        var get = await ProcessRunner.RunAsync("curl", [.. common, "-o", downloaded, $"ftp://127.0.0.1:{Port}/payload.bin"], Timeout);
        Assert.True(get.ExitCode == 0, get.StandardError);
        Assert.Equal(_payload, await File.ReadAllBytesAsync(downloaded));

        var put = await ProcessRunner.RunAsync("curl", [.. common, "-T", downloaded, $"ftp://127.0.0.1:{Port}/uploaded.bin"], Timeout);
        Assert.True(put.ExitCode == 0, put.StandardError);
        Assert.Equal(_payload, await File.ReadAllBytesAsync(Path.Combine(_root, "uploaded.bin")));
    }

    [Fact]
    public async Task The_standard_ftp_client_changes_directory_lists_gets_sends_and_closes()
    {
        Directory.CreateDirectory(Path.Combine(_root, "books"));
        await File.WriteAllBytesAsync(Path.Combine(_root, "books", "gopl.bin"), _payload);
        var upload = Path.Combine(_work, "send me.bin");
        await File.WriteAllBytesAsync(upload, _payload.AsSpan(0, 100_000).ToArray());
        var script = string.Join('\n',
            $"open 127.0.0.1 {Port}", "user alice \"s3cret pass\"", "binary", "cd books", "ls", "get gopl.bin",
            "send \"send me.bin\" copy.bin", "close", "bye", string.Empty);

        var result = await ProcessRunner.RunAsync("bash", ["-c", $"cd '{_work}' && tnftp -n -p <<'EOF'\n{script}EOF"], Timeout);

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Contains("gopl.bin", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(_payload, await File.ReadAllBytesAsync(Path.Combine(_work, "gopl.bin")));
        Assert.Equal(100_000, new FileInfo(Path.Combine(_root, "books", "copy.bin")).Length);
        Assert.Equal(await File.ReadAllBytesAsync(upload), await File.ReadAllBytesAsync(Path.Combine(_root, "books", "copy.bin")));
    }

    [Fact]
    public async Task Lftp_mirrors_a_nested_tree_with_spaces_and_non_ascii_names_both_ways()
    {
        var local = Path.Combine(_work, "tree");
        string[] files = ["top.txt", "dir one/inner file.bin", "dir one/ünïcödé/日本.txt", "empty dir/.keep"];
        foreach (var (file, index) in files.Select((f, i) => (f, i)))
        {
            var path = Path.Combine(local, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, _payload.AsSpan(0, 1000 * (index + 1)).ToArray());
        }

        const string settings = "set net:max-retries 1; set net:timeout 10; set net:reconnect-interval-base 1; set ftp:passive-mode true; set ftp:charset utf-8;";
        var up = await ProcessRunner.RunAsync("lftp",
            ["-c", $"{settings} open -u 'alice,s3cret pass' -p {Port} 127.0.0.1; mirror -R '{local}' /tree"], Timeout);
        Assert.True(up.ExitCode == 0, up.StandardOutput + up.StandardError);

        var back = Path.Combine(_work, "back");
        var down = await ProcessRunner.RunAsync("lftp",
            ["-c", $"{settings} open -u 'alice,s3cret pass' -p {Port} 127.0.0.1; mirror /tree '{back}'"], Timeout);
        Assert.True(down.ExitCode == 0, down.StandardOutput + down.StandardError);

        foreach (var file in files)
        {
            var original = await File.ReadAllBytesAsync(Path.Combine(local, file));
            Assert.Equal(original, await File.ReadAllBytesAsync(Path.Combine(_root, "tree", file)));
            Assert.Equal(original, await File.ReadAllBytesAsync(Path.Combine(back, file)));
        }
    }

    [Fact]
    public async Task Python_ftplib_uses_MLSD_SIZE_MDTM_REST_APPE_rename_and_ABOR()
    {
        var script = $$"""
            import ftplib, io
            f = ftplib.FTP()
            f.connect("127.0.0.1", {{Port}}, timeout=10)
            f.login("alice", "s3cret pass")
            names = sorted(name for name, facts in f.mlsd())
            assert "payload.bin" in names and "hello.txt" in names, names
            facts = dict(f.mlsd())["payload.bin"]
            assert facts["type"] == "file" and facts["size"] == "3145745", facts
            f.voidcmd("TYPE I")  # SIZE counts the bytes RETR sends in the current type (RFC 3659), binary here
            assert f.size("payload.bin") == 3145745
            assert f.sendcmd("MDTM hello.txt").startswith("213 2")
            part = io.BytesIO()
            f.retrbinary("RETR payload.bin", part.write, rest=1000000)
            open("{{_work}}/rest.bin", "wb").write(part.getvalue())
            f.storbinary("APPE log.txt", io.BytesIO(b"one\n"))
            f.storbinary("APPE log.txt", io.BytesIO(b"two\n"))
            f.rename("log.txt", "journal ünï.txt")
            assert "journal ünï.txt" in f.nlst()
            conn = f.transfercmd("RETR huge.bin")
            conn.recv(4096)
            assert f.abort().startswith("426")
            conn.close()
            assert f.getresp().startswith("226")
            assert f.voidcmd("NOOP").startswith("200")
            assert f.sendcmd("SYST") == "215 UNIX Type: L8"
            f.quit()
            print("ok")
            """;
        var result = await ProcessRunner.RunPythonAsync(_work, script, Timeout);

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Equal("ok", result.StandardOutput.Trim());
        Assert.Equal(_payload.AsSpan(1_000_000).ToArray(), await File.ReadAllBytesAsync(Path.Combine(_work, "rest.bin")));
        Assert.Equal("one\ntwo\n", await File.ReadAllTextAsync(Path.Combine(_root, "journal ünï.txt")));
    }
}
