using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using GoplNet.Ftp.Protocol;

namespace GoplNet.Tests.Ftp;

/// <summary>
/// The protocol's corners over a raw control connection: the command table's argument and login
/// rules, commands during a transfer, REIN, REST, SIZE, MLST/MLSD facts, HELP, TYPE, EPSV/EPRT/PORT
/// syntax, STOU, MFMT, SITE CHMOD and the hash commands.
/// </summary>
public sealed class FtpProtocolTests
{
    private const int HeldFileSize = 64 * 1024 * 1024;

    [Theory]
    [InlineData("RETR")]
    [InlineData("STOR")]
    [InlineData("APPE")]
    [InlineData("DELE")]
    [InlineData("MKD")]
    [InlineData("XMKD")]
    [InlineData("RMD")]
    [InlineData("RNFR")]
    [InlineData("RNTO")]
    [InlineData("SIZE")]
    [InlineData("MDTM")]
    [InlineData("MFMT")]
    [InlineData("TYPE")]
    [InlineData("MODE")]
    [InlineData("STRU")]
    [InlineData("REST")]
    [InlineData("PORT")]
    [InlineData("EPRT")]
    [InlineData("USER")]
    [InlineData("SITE")]
    [InlineData("CWD")]
    [InlineData("OPTS")]
    [InlineData("HASH")]
    [InlineData("ALLO")]
    [InlineData("SITE CHMOD")]
    [InlineData("SITE CHMOD 644")]
    [InlineData("PWD x")]
    [InlineData("XPWD x")]
    [InlineData("CDUP x")]
    [InlineData("PASV x")]
    [InlineData("NOOP x")]
    [InlineData("SYST x")]
    [InlineData("FEAT x")]
    [InlineData("ABOR x")]
    [InlineData("REIN x")]
    [InlineData("SITE HELP x")]
    [InlineData("QUIT x")]
    public async Task A_missing_or_unexpected_argument_is_answered_501(string line)
    {
        await using var server = await FtpTestServer.StartAsync();
        await using var client = await FtpTestClient.LoginAsync(server.EndPoint, "alice", "secret");

        var reply = await client.CommandAsync(line);

        Assert.True(reply.Code == 501, $"{line} -> {reply.Text}");
        await client.ExpectAsync("NOOP", 200);
    }

    [Theory]
    [InlineData("BOGUS", 500)]
    [InlineData("SITE BOGUS", 500)]
    [InlineData("SMNT /x", 502)]
    [InlineData("LPSV", 502)]
    [InlineData("RNTO b", 503)]
    [InlineData("PASS again", 503)]
    [InlineData("MODE B", 504)]
    [InlineData("STRU R", 504)]
    [InlineData("TYPE E", 504)]
    [InlineData("TYPE L 7", 504)]
    [InlineData("TYPE A T", 504)]
    [InlineData("ALLO 1000", 202)]
    [InlineData("ACCT x", 202)]
    [InlineData("TYPE A", 200)]
    [InlineData("TYPE A N", 200)]
    [InlineData("TYPE I", 200)]
    [InlineData("TYPE L 8", 200)]
    [InlineData("type i", 200)]
    public async Task Commands_get_the_reply_class_the_RFCs_give(string line, int code)
    {
        await using var server = await FtpTestServer.StartAsync();
        await using var client = await FtpTestClient.LoginAsync(server.EndPoint, "alice", "secret");

        var reply = await client.CommandAsync(line);

        Assert.True(reply.Code == code, $"{line} -> {reply.Text} (expected {code})");
    }

    [Fact]
    public async Task QUIT_during_a_download_is_answered_at_once_and_the_transfer_still_completes()
    {
        await using var server = await StartWithHeldFileAsync();
        await using var client = await FtpTestClient.LoginAsync(server.EndPoint);
        using var data = await client.PassiveAsync();
        await client.ExpectAsync("RETR held.bin", 150);

        // The client reads no data yet, so the transfer is still running when QUIT arrives.
        await client.ExpectAsync("QUIT", 221);
        Assert.Equal(HeldFileSize, await DrainAsync(data));

        Assert.Equal(226, (await client.ReadAsync()).Code);
        Assert.True(await client.ClosedAsync());
    }

    [Fact]
    public async Task STAT_and_NOOP_are_answered_while_data_flows_and_STAT_tells_the_progress()
    {
        await using var server = await StartWithHeldFileAsync();
        await using var client = await FtpTestClient.LoginAsync(server.EndPoint);
        using var data = await client.PassiveAsync();
        await client.ExpectAsync("RETR held.bin", 150);

        var status = await client.ExpectAsync("STAT", 213);
        await client.ExpectAsync("NOOP", 200);

        Assert.Matches(@"^213 Sending /held\.bin: \d+ bytes so far\.$", status.Text);
        Assert.Equal(HeldFileSize, await DrainAsync(data));
        Assert.Equal(226, (await client.ReadAsync()).Code);
    }

    [Fact]
    public async Task USER_during_a_transfer_takes_effect_when_the_transfer_ends()
    {
        await using var server = await StartWithHeldFileAsync();
        await using var client = await FtpTestClient.LoginAsync(server.EndPoint);
        using var data = await client.PassiveAsync();
        await client.ExpectAsync("RETR held.bin", 150);

        await client.SendAsync("USER alice");
        Assert.Equal(HeldFileSize, await DrainAsync(data));

        Assert.Equal(226, (await client.ReadAsync()).Code);
        Assert.Equal(331, (await client.ReadAsync()).Code);
        await client.ExpectAsync("PASS secret", 230);
        await client.ExpectAsync("MKD made-by-alice", 257);
    }

    [Fact]
    public async Task A_command_queued_behind_a_transfer_keeps_the_replies_in_order()
    {
        await using var server = await StartWithHeldFileAsync();
        await using var client = await FtpTestClient.LoginAsync(server.EndPoint);
        using var data = await client.PassiveAsync();
        await client.ExpectAsync("RETR held.bin", 150);

        // PWD waits for the transfer; the STAT behind it must not jump ahead of it.
        await client.SendAsync("PWD");
        await client.SendAsync("STAT");
        Assert.Equal(HeldFileSize, await DrainAsync(data));

        Assert.Equal(226, (await client.ReadAsync()).Code);
        Assert.Equal(257, (await client.ReadAsync()).Code);
        Assert.Equal(211, (await client.ReadAsync()).Code);
    }

    [Fact]
    public async Task A_command_instead_of_the_data_connection_ends_the_waiting_transfer_at_once()
    {
        await using var server = await FtpTestServer.StartAsync();
        await File.WriteAllTextAsync(Path.Combine(server.Root, "a.txt"), "a\n");
        await using var client = await FtpTestClient.LoginAsync(server.EndPoint);
        await client.ExpectAsync("EPSV", 229);
        await client.ExpectAsync("RETR a.txt", 150);

        // The data connection timeout is 30 s, far beyond the client's 10 s wait for each reply.
        await client.SendAsync("PWD");

        Assert.Equal(425, (await client.ReadAsync()).Code);
        Assert.Equal(257, (await client.ReadAsync()).Code);
        await client.ExpectAsync("NOOP", 200);
    }

    [Fact]
    public async Task QUIT_before_the_data_connection_opens_ends_the_session_at_once()
    {
        await using var server = await FtpTestServer.StartAsync();
        await File.WriteAllTextAsync(Path.Combine(server.Root, "a.txt"), "a\n");
        await using var client = await FtpTestClient.LoginAsync(server.EndPoint);
        await client.ExpectAsync("EPSV", 229);
        await client.ExpectAsync("RETR a.txt", 150);

        await client.ExpectAsync("QUIT", 221);

        Assert.True(await client.ClosedAsync());
    }

    [Fact]
    public async Task REIN_ends_the_login_and_resets_the_session()
    {
        await using var server = await FtpTestServer.StartAsync();
        Directory.CreateDirectory(Path.Combine(server.Root, "sub"));
        await using var client = await FtpTestClient.LoginAsync(server.EndPoint, "alice", "secret");
        await client.ExpectAsync("CWD sub", 250);

        await client.ExpectAsync("REIN", 220);

        await client.ExpectAsync("PWD", 530);
        await client.ExpectAsync("USER anonymous", 331);
        await client.ExpectAsync("PASS x", 230);
        var pwd = await client.ExpectAsync("PWD", 257);
        Assert.StartsWith("257 \"/\"", pwd.Text);
        await client.ExpectAsync("MKD not-for-anonymous", 550);
    }

    [Theory]
    [InlineData("REST -1")]
    [InlineData("REST 10.1")]
    [InlineData("REST str")]
    [InlineData("REST +5")]
    [InlineData("REST 1e3")]
    public async Task REST_takes_a_non_negative_integer_only(string line)
    {
        await using var server = await FtpTestServer.StartAsync();
        await using var client = await FtpTestClient.LoginAsync(server.EndPoint);

        await client.ExpectAsync(line, 501);
        await client.ExpectAsync("REST 0", 350);
    }

    [Fact]
    public async Task REST_is_refused_in_ASCII_type()
    {
        await using var server = await FtpTestServer.StartAsync();
        await using var client = await FtpTestClient.LoginAsync(server.EndPoint);
        await client.ExpectAsync("TYPE A", 200);

        await client.ExpectAsync("REST 10", 504);
    }

    [Fact]
    public async Task RETR_after_REST_past_the_end_is_554_and_uses_no_data_connection()
    {
        await using var server = await FtpTestServer.StartAsync();
        await File.WriteAllBytesAsync(Path.Combine(server.Root, "ten.bin"), new byte[10]);
        await using var client = await FtpTestClient.LoginAsync(server.EndPoint);
        await client.ExpectAsync("EPSV", 229);
        await client.ExpectAsync("REST 11", 350);

        await client.ExpectAsync("RETR ten.bin", 554);

        // The prepared data connection is still there for the next transfer.
        await client.ExpectAsync("REST 4", 350);
        var (bytes, reply) = await client.DownloadAsync("RETR ten.bin");
        Assert.Equal(226, reply.Code);
        Assert.Equal(6, bytes.Length);
    }

    [Fact]
    public async Task STOR_after_REST_past_the_end_is_refused_and_never_writes_a_sparse_file()
    {
        await using var server = await FtpTestServer.StartAsync();
        var path = Path.Combine(server.Root, "ten.bin");
        await File.WriteAllBytesAsync(path, Enumerable.Repeat((byte)7, 10).ToArray());
        await using var client = await FtpTestClient.LoginAsync(server.EndPoint, "alice", "secret");

        await client.ExpectAsync("REST 1000", 350);
        var reply = await client.UploadAsync("STOR ten.bin", [1, 2, 3]);

        Assert.Equal(554, reply.Code);
        Assert.Equal(Enumerable.Repeat((byte)7, 10), await File.ReadAllBytesAsync(path));
        await client.ExpectAsync("REST 10", 350);
        Assert.Equal(226, (await client.UploadAsync("STOR ten.bin", [1, 2, 3])).Code);
        Assert.Equal(13, new FileInfo(path).Length);
    }

    [Fact]
    public async Task SIZE_is_the_bytes_RETR_sends_in_the_current_type_and_550_for_a_directory()
    {
        await using var server = await FtpTestServer.StartAsync();
        await File.WriteAllTextAsync(Path.Combine(server.Root, "lines.txt"), "one\ntwo\r\nthree\n");
        Directory.CreateDirectory(Path.Combine(server.Root, "dir"));
        await using var client = await FtpTestClient.LoginAsync(server.EndPoint);

        Assert.Equal("213 15", (await client.ExpectAsync("SIZE lines.txt", 213)).Text);
        await client.ExpectAsync("SIZE dir", 550);
        await client.ExpectAsync("TYPE A", 200);
        Assert.Equal("213 17", (await client.ExpectAsync("SIZE lines.txt", 213)).Text);
        var (bytes, reply) = await client.DownloadAsync("RETR lines.txt");
        Assert.Equal(226, reply.Code);
        Assert.Equal("one\r\ntwo\r\nthree\r\n", Encoding.ASCII.GetString(bytes));
    }

    [Fact]
    public async Task OPTS_MLST_selects_the_facts_MLST_and_MLSD_show()
    {
        await using var server = await FtpTestServer.StartAsync();
        await File.WriteAllTextAsync(Path.Combine(server.Root, "f.txt"), "12345");
        await using var client = await FtpTestClient.LoginAsync(server.EndPoint);

        var all = await client.ExpectAsync("MLST f.txt", 250);
        Assert.Matches(@"\n type=file;size=5;modify=\d{14};perm=r;unique=[0-9a-f.]+U[0-9a-f]+;unix\.mode=0644;unix\.uid=\d+;unix\.gid=\d+; /f\.txt\r\n", all.Text + "\r\n");

        Assert.Equal("200 MLST OPTS type;size;", (await client.ExpectAsync("OPTS MLST type;size;bogus;", 200)).Text);
        Assert.Contains("\n type=file;size=5; /f.txt", (await client.ExpectAsync("MLST f.txt", 250)).Text, StringComparison.Ordinal);
        var (listing, _) = await client.DownloadAsync("MLSD");
        Assert.Equal("type=file;size=5; f.txt\r\n", Encoding.UTF8.GetString(listing));
        var features = (await client.ExpectAsync("FEAT", 211)).Text;
        Assert.Contains(" MLST type*;size*;modify;perm;unique;unix.mode;unix.uid;unix.gid;", features, StringComparison.Ordinal);

        Assert.Equal("200 MLST OPTS", (await client.ExpectAsync("OPTS MLST", 200)).Text);
        Assert.Contains("\n  /f.txt\r\n", (await client.ExpectAsync("MLST f.txt", 250)).Text + "\r\n", StringComparison.Ordinal);
    }

    [Fact]
    public async Task MLST_without_an_argument_is_the_current_directory_and_MLSD_of_a_file_is_501()
    {
        await using var server = await FtpTestServer.StartAsync();
        Directory.CreateDirectory(Path.Combine(server.Root, "empty"));
        await File.WriteAllTextAsync(Path.Combine(server.Root, "f.txt"), "x");
        await using var client = await FtpTestClient.LoginAsync(server.EndPoint);
        await client.ExpectAsync("CWD empty", 250);

        Assert.Contains(" /empty\r\n", (await client.ExpectAsync("MLST", 250)).Text + "\r\n", StringComparison.Ordinal);
        Assert.Contains("type=dir;", (await client.ExpectAsync("MLST", 250)).Text, StringComparison.Ordinal);
        await client.ExpectAsync("EPSV", 229);
        await client.ExpectAsync("MLSD /f.txt", 501);

        var (listing, reply) = await client.DownloadAsync("MLSD");
        Assert.Equal(226, reply.Code);
        Assert.Empty(listing);
    }

    [Fact]
    public async Task HELP_lists_the_table_and_gives_each_verbs_syntax()
    {
        await using var server = await FtpTestServer.StartAsync();
        await using var client = await FtpTestClient.ConnectAsync(server.EndPoint);
        Assert.Equal(220, (await client.ReadAsync()).Code);

        var help = (await client.ExpectAsync("HELP", 214)).Text;
        foreach (var command in FtpSession.Commands.Where(c => c.Handler is not null))
        {
            Assert.Contains(command.Verb, help, StringComparison.Ordinal);
        }

        Assert.Contains("ALLO", help, StringComparison.Ordinal);
        Assert.Equal("214 Syntax: RETR <SP> <pathname>", (await client.ExpectAsync("HELP RETR", 214)).Text);
        Assert.Equal("214 Syntax: PWD", (await client.ExpectAsync("HELP xpwd", 214)).Text);
        await client.ExpectAsync("HELP BOGUS", 501);
        await client.ExpectAsync("USER alice", 331);
        await client.ExpectAsync("PASS secret", 230);
        var site = (await client.ExpectAsync("SITE HELP", 214)).Text;
        Assert.Contains("SITE CHMOD", site, StringComparison.Ordinal);
        Assert.Contains("SITE HELP", site, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("OPTS BOGUS ON")]
    [InlineData("OPTS UTF8 MAYBE")]
    [InlineData("OPTS RETR x")]
    [InlineData("OPTS HASH SHA-999")]
    public async Task OPTS_with_an_unknown_option_or_a_bad_argument_is_501(string line)
    {
        await using var server = await FtpTestServer.StartAsync();
        await using var client = await FtpTestClient.LoginAsync(server.EndPoint);

        await client.ExpectAsync(line, 501);
        await client.ExpectAsync("OPTS UTF8 ON", 200);
    }

    [Fact]
    public async Task EPSV_chooses_the_family_and_EPSV_ALL_refuses_the_other_data_commands()
    {
        await using var server = await FtpTestServer.StartAsync();
        await using var client = await FtpTestClient.LoginAsync(server.EndPoint);

        await client.ExpectAsync("EPSV 1", 229);
        Assert.Contains("(1)", (await client.ExpectAsync("EPSV 2", 522)).Text, StringComparison.Ordinal);
        Assert.Contains("(1,2)", (await client.ExpectAsync("EPSV 3", 522)).Text, StringComparison.Ordinal);
        Assert.Contains("(1,2)", (await client.ExpectAsync("EPRT |3|127.0.0.1|5000|", 522)).Text, StringComparison.Ordinal);

        await client.ExpectAsync("EPSV ALL", 200);
        await client.ExpectAsync("PASV", 503);
        await client.ExpectAsync("PORT 127,0,0,1,200,10", 503);
        await client.ExpectAsync("EPRT |1|127.0.0.1|51210|", 503);
        await client.ExpectAsync("EPSV", 229);
    }

    [Theory]
    [InlineData("EPRT 1|127.0.0.1|51210|")]
    [InlineData("EPRT |1|127.0.0.1|51210")]
    [InlineData("EPRT |1|127.0.0.1:51210|")]
    [InlineData("EPRT ||127.0.0.1|51210|")]
    [InlineData("EPRT |1||51210|")]
    [InlineData("EPRT |1|127.0.0.1||")]
    [InlineData("EPRT |1|not-an-address|51210|")]
    [InlineData("EPRT |1|::1|51210|")]
    [InlineData("EPRT |2|127.0.0.1|51210|")]
    [InlineData("EPRT |1|127.1|51210|")]
    [InlineData("EPRT |1|127.0.0.1|70000|")]
    [InlineData("EPRT |1|127.0.0.1|-5|")]
    [InlineData("PORT 127.0.0.1.200.10")]
    [InlineData("PORT 127,0,0,1,200")]
    [InlineData("PORT 127,0,0,1,300,1")]
    [InlineData("PORT 127,0,0,256,200,10")]
    [InlineData("PORT 127,0,0,1,200,10,")]
    [InlineData("PORT 127,,0,1,200,10")]
    [InlineData("PORT 127,0,0,1,+2,10")]
    public async Task Malformed_PORT_and_EPRT_are_501_before_any_connection_is_tried(string line)
    {
        await using var server = await FtpTestServer.StartAsync();
        await using var client = await FtpTestClient.LoginAsync(server.EndPoint);

        await client.ExpectAsync(line, 501);
        await client.ExpectAsync("LIST", 425);
    }

    [Fact]
    public async Task STOU_stores_under_a_new_name_it_tells_in_the_150_reply()
    {
        await using var server = await FtpTestServer.StartAsync();
        await File.WriteAllTextAsync(Path.Combine(server.Root, "report"), "old");
        await using var client = await FtpTestClient.LoginAsync(server.EndPoint, "alice", "secret");
        using var data = await client.PassiveAsync();

        var opening = await client.ExpectAsync("STOU report", 150);
        await using (var stream = new NetworkStream(data, ownsSocket: false))
        {
            await stream.WriteAsync("new"u8.ToArray());
        }

        data.Shutdown(SocketShutdown.Send);
        data.Close();
        Assert.Equal(226, (await client.ReadAsync()).Code);

        var name = System.Text.RegularExpressions.Regex.Match(opening.Text, @"^150 FILE: (\S+)$").Groups[1].Value;
        Assert.NotEqual("report", name);
        Assert.Equal("old", await File.ReadAllTextAsync(Path.Combine(server.Root, "report")));
        Assert.Equal("new", await File.ReadAllTextAsync(Path.Combine(server.Root, name)));
        Assert.DoesNotContain(Directory.GetFiles(server.Root), f => f.EndsWith(".part", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MFMT_sets_the_modification_time_MDTM_reports()
    {
        await using var server = await FtpTestServer.StartAsync();
        await File.WriteAllTextAsync(Path.Combine(server.Root, "f.txt"), "x");
        await using var client = await FtpTestClient.LoginAsync(server.EndPoint, "alice", "secret");

        Assert.Equal("213 Modify=20200229123456; f.txt", (await client.ExpectAsync("MFMT 20200229123456 f.txt", 213)).Text);
        Assert.Equal("213 20200229123456", (await client.ExpectAsync("MDTM f.txt", 213)).Text);
        Assert.Equal(new DateTime(2020, 2, 29, 12, 34, 56, DateTimeKind.Utc), File.GetLastWriteTimeUtc(Path.Combine(server.Root, "f.txt")));
        await client.ExpectAsync("MFMT 20200229123456.5 f.txt", 213);
        Assert.Equal(new DateTime(2020, 2, 29, 12, 34, 56, 500, DateTimeKind.Utc), File.GetLastWriteTimeUtc(Path.Combine(server.Root, "f.txt")));
        await client.ExpectAsync("MFMT 2020022912345 f.txt", 501);
        await client.ExpectAsync("MFMT 20201340000000 f.txt", 501);
        await client.ExpectAsync("MFMT 20200229123456", 501);
        await client.ExpectAsync("MFMT 20200229123456 missing.txt", 550);
        await client.ExpectAsync("MFMT 20200229123456 ../outside/secret.txt", 550);
        Assert.True(File.GetLastWriteTimeUtc(Path.Combine(server.Outside, "secret.txt")).Year > 2020);

        await using var anonymous = await FtpTestClient.LoginAsync(server.EndPoint);
        await anonymous.ExpectAsync("MFMT 20100101000000 f.txt", 550);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task SITE_CHMOD_sets_octal_modes_but_never_set_user_or_group_id()
    {
        await using var server = await FtpTestServer.StartAsync();
        var path = Path.Combine(server.Root, "f.txt");
        await File.WriteAllTextAsync(path, "x");
        await using var client = await FtpTestClient.LoginAsync(server.EndPoint, "alice", "secret");

        await client.ExpectAsync("SITE CHMOD 600 f.txt", 200);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        await client.ExpectAsync("SITE CHMOD 4755 f.txt", 550);
        await client.ExpectAsync("SITE CHMOD 2755 f.txt", 550);
        await client.ExpectAsync("SITE CHMOD 0855 f.txt", 501);
        await client.ExpectAsync("SITE CHMOD rwx f.txt", 501);
        await client.ExpectAsync("site chmod 0640 f.txt", 200);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(path));
        await client.ExpectAsync("SITE CHMOD 777 ../outside/secret.txt", 550);

        await using var anonymous = await FtpTestClient.LoginAsync(server.EndPoint);
        await anonymous.ExpectAsync("SITE CHMOD 777 f.txt", 550);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(path));
    }

    [Fact]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350", Justification = "SHA-1 is one of the digests the server offers; the test checks it.")]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5351", Justification = "MD5 is one of the digests the server offers; the test checks it.")]
    public async Task HASH_and_the_X_hashes_digest_files_and_ranges()
    {
        await using var server = await FtpTestServer.StartAsync();
        var bytes = Encoding.ASCII.GetBytes("The quick brown fox jumps over the lazy dog");
        await File.WriteAllBytesAsync(Path.Combine(server.Root, "fox file.txt"), bytes);
        await using var client = await FtpTestClient.LoginAsync(server.EndPoint);

        var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
        Assert.Equal($"213 SHA-256 0-43 {sha256} fox file.txt", (await client.ExpectAsync("HASH fox file.txt", 213)).Text);
        Assert.Contains(" HASH SHA-256*;SHA-1;MD5;CRC32", (await client.ExpectAsync("FEAT", 211)).Text, StringComparison.Ordinal);
        Assert.Equal("200 MD5", (await client.ExpectAsync("OPTS HASH md5", 200)).Text);
        Assert.Equal($"213 MD5 0-43 {Convert.ToHexStringLower(MD5.HashData(bytes))} fox file.txt", (await client.ExpectAsync("HASH fox file.txt", 213)).Text);
        Assert.Contains(" HASH SHA-256;SHA-1;MD5*;CRC32", (await client.ExpectAsync("FEAT", 211)).Text, StringComparison.Ordinal);

        Assert.Equal("250 414fa339", (await client.ExpectAsync("XCRC \"fox file.txt\"", 250)).Text);
        Assert.Equal("250 414fa339", (await client.ExpectAsync("XCRC fox file.txt", 250)).Text);
        Assert.Equal($"250 {Convert.ToHexStringLower(SHA256.HashData(bytes.AsSpan(4, 5)))}", (await client.ExpectAsync("XSHA256 fox file.txt 4 9", 250)).Text);
        Assert.Equal($"250 {Convert.ToHexStringLower(SHA1.HashData(bytes.AsSpan(10)))}", (await client.ExpectAsync("XSHA1 \"fox file.txt\" 10", 250)).Text);
        Assert.Equal($"250 {Convert.ToHexStringLower(MD5.HashData(bytes))}", (await client.ExpectAsync("XMD5 fox file.txt", 250)).Text);
        await client.ExpectAsync("XSHA256 fox file.txt 4 99", 501);
        await client.ExpectAsync("HASH missing.txt", 550);
        await client.ExpectAsync("HASH ../outside/secret.txt", 550);
        await client.ExpectAsync("XCRC /", 550);
    }

    /// <summary>A server with a 64 MiB file: far more than the socket buffers hold, so a download the client does not read keeps running.</summary>
    private static async Task<FtpTestServer> StartWithHeldFileAsync()
    {
        var server = await FtpTestServer.StartAsync();
        await using (var held = File.Create(Path.Combine(server.Root, "held.bin")))
        {
            held.SetLength(HeldFileSize);
        }

        return server;
    }

    private static async Task<long> DrainAsync(Socket data)
    {
        var buffer = new byte[1024 * 1024];
        long total = 0;
        using var cts = new CancellationTokenSource(FtpTestClient.Timeout);
        int read;
        while ((read = await data.ReceiveAsync(buffer, SocketFlags.None, cts.Token)) > 0)
        {
            total += read;
        }

        return total;
    }
}
