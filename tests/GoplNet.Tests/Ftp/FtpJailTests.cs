using System.Text;

namespace GoplNet.Tests.Ftp;

/// <summary>The root is a jail for every command that takes a path: hostile paths over a real control connection.</summary>
public sealed class FtpJailTests
{
    /// <summary>Paths that lead outside the root through links, or are no path at all; every command must refuse them.</summary>
    public static TheoryData<string> RefusedPaths => new()
    {
        "link/secret.txt",
        "link",
        "/link/",
        "filelink",
        "dangling",
        "inside/../link/secret.txt",
        "x\0y",
        string.Concat(Enumerable.Repeat("deep/", 1000)) + "name",
    };

    /// <summary>Paths that climb with "..": they stop at the root, so whatever they name lies inside it.</summary>
    public static TheoryData<string> ClimbingPaths => new()
    {
        "../outside/secret.txt",
        "/../outside/secret.txt",
        "../../../../../../outside/secret.txt",
        "inside/../../outside/secret.txt",
        "../outside",
    };

    [Theory]
    [MemberData(nameof(ClimbingPaths))]
    public async Task Dot_dot_stops_at_the_root_for_every_command(string path)
    {
        await using var server = await StartAsync();
        await using var client = await FtpTestClient.LoginAsync(server.EndPoint, "alice", "secret");

        var replies = await RunEveryPathCommandAsync(client, path);

        AssertOutsideUntouched(server);
        Assert.All(replies.Where(r => r.Command is "RETR" or "SIZE" or "MDTM" or "MLST"), r => Assert.True(r.Reply.Code >= 500, $"{r.Command}: {r.Reply.Text}"));
    }

    [Theory]
    [MemberData(nameof(RefusedPaths))]
    public async Task Every_path_command_refuses_links_out_of_the_root(string path)
    {
        await using var server = await StartAsync();
        await using var client = await FtpTestClient.LoginAsync(server.EndPoint, "alice", "secret");

        var replies = await RunEveryPathCommandAsync(client, path);

        var accepted = replies.Where(r => r.Reply.Code < 500).Select(r => $"{r.Command}: {r.Reply.Text}").ToList();
        Assert.True(accepted.Count == 0, "accepted outside the root: " + string.Join(" | ", accepted));
        AssertOutsideUntouched(server);
        Assert.Equal("inside\n", await File.ReadAllTextAsync(Path.Combine(server.Root, "inside", "file.txt")));
    }

    /// <summary>Every command that takes a path, with <paramref name="path"/>; transfers are offered a data connection, so only the path check can stop them.</summary>
    private static async Task<List<(string Command, FtpReply Reply)>> RunEveryPathCommandAsync(FtpTestClient client, string path)
    {
        var replies = new List<(string Command, FtpReply Reply)>();
        foreach (var command in new[] { "CWD", "DELE", "MKD", "RMD", "RNFR", "SIZE", "MDTM", "MLST", "STAT", "SITE CHMOD 777", "XMKD", "XRMD", "XCWD" })
        {
            replies.Add((command, await client.CommandAsync($"{command} {path}")));
        }

        foreach (var command in new[] { "RETR", "LIST", "NLST", "MLSD" })
        {
            var (data, reply) = await client.DownloadAsync($"{command} {path}");
            Assert.DoesNotContain("outside the root", Encoding.UTF8.GetString(data), StringComparison.Ordinal);
            Assert.DoesNotContain("secret.txt", Encoding.UTF8.GetString(data), StringComparison.Ordinal);
            replies.Add((command, reply));
        }

        foreach (var command in new[] { "STOR", "APPE" })
        {
            replies.Add((command, await client.UploadAsync($"{command} {path}", "planted\n"u8.ToArray())));
        }

        await client.ExpectAsync("RNFR inside/file.txt", 350);
        replies.Add(("RNTO", await client.CommandAsync($"RNTO {path}")));
        return replies;
    }

    [Fact]
    public async Task Backslashes_and_percent_encoded_dots_are_names_inside_the_root()
    {
        await using var server = await StartAsync();
        await using var client = await FtpTestClient.LoginAsync(server.EndPoint, "alice", "secret");

        Assert.Equal(226, (await client.UploadAsync("STOR ..\\..\\x.txt", "a"u8.ToArray())).Code);
        await client.ExpectAsync("MKD %2e%2e", 257);
        await client.ExpectAsync("CWD %2e%2e", 250);
        Assert.Equal(226, (await client.UploadAsync("STOR %2e%2e%2fy.txt", "b"u8.ToArray())).Code);

        Assert.True(File.Exists(Path.Combine(server.Root, "..\\..\\x.txt")));
        Assert.True(File.Exists(Path.Combine(server.Root, "%2e%2e", "%2e%2e%2fy.txt")));
        AssertOutsideUntouched(server);
    }

    [Fact]
    public async Task A_carriage_return_in_a_name_is_sent_as_CR_NUL()
    {
        await using var server = await StartAsync();
        await using var client = await FtpTestClient.LoginAsync(server.EndPoint, "alice", "secret");

        var reply = await client.ExpectAsync("MKD x\r226 forged", 257);

        Assert.Equal("257 \"/x\r\0226 forged\" created", reply.Text);
        Assert.True(Directory.Exists(Path.Combine(server.Root, "x\r226 forged")));
        await client.ExpectAsync("NOOP", 200);
    }

    [Fact]
    public async Task Links_are_followed_while_they_stay_inside_the_root()
    {
        await using var server = await StartAsync();
        await using var client = await FtpTestClient.LoginAsync(server.EndPoint);

        var (data, reply) = await client.DownloadAsync("RETR alias/file.txt");
        Assert.Equal(226, reply.Code);
        Assert.Equal("inside\n", Encoding.UTF8.GetString(data));
        await client.ExpectAsync("CWD alias", 250);
        await client.ExpectAsync("CWD /link", 550);
    }

    [Fact]
    public async Task Before_login_only_the_login_and_negotiation_commands_are_allowed()
    {
        await using var server = await StartAsync();
        await using var client = await FtpTestClient.ConnectAsync(server.EndPoint);
        Assert.Equal(220, (await client.ReadAsync()).Code);

        foreach (var command in new[] { "CWD /", "PWD", "LIST", "RETR inside/file.txt", "STOR x", "DELE inside/file.txt", "SITE HELP", "STAT", "PASV", "EPSV", "PORT 127,0,0,1,200,0", "SIZE inside/file.txt", "MKD x", "RNFR inside" })
        {
            Assert.Equal(530, (await client.CommandAsync(command)).Code);
        }

        await client.ExpectAsync("FEAT", 211);
        await client.ExpectAsync("SYST", 215);
        await client.ExpectAsync("HELP", 214);
        await client.ExpectAsync("NOOP", 200);
        await client.ExpectAsync("OPTS UTF8 ON", 200);
        await client.ExpectAsync("AUTH TLS", 502);
        await client.ExpectAsync("USER nobody-of-that-name", 331);
        await client.ExpectAsync("USER alice", 331);
        Assert.Empty(Directory.GetFileSystemEntries(server.Root, "x"));
    }

    [Fact]
    public async Task Read_only_accounts_are_refused_every_write()
    {
        await using var server = await StartAsync();
        await using var client = await FtpTestClient.LoginAsync(server.EndPoint);

        foreach (var command in new[] { "DELE inside/file.txt", "MKD new", "RMD inside", "RNFR inside/file.txt", "SITE CHMOD 777 inside/file.txt", "XMKD new" })
        {
            Assert.Equal(550, (await client.CommandAsync(command)).Code);
        }

        foreach (var command in new[] { "STOR new.txt", "APPE inside/file.txt", "STOU" })
        {
            Assert.Equal(550, (await client.UploadAsync(command, "x"u8.ToArray())).Code);
        }

        Assert.Equal(["alias", "dangling", "filelink", "inside", "link"], Directory.GetFileSystemEntries(server.Root).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("inside\n", await File.ReadAllTextAsync(Path.Combine(server.Root, "inside", "file.txt")));
    }

    private static async Task<FtpTestServer> StartAsync()
    {
        var server = await FtpTestServer.StartAsync(o => o.MaxCommandLength = 16_384);
        Directory.CreateDirectory(Path.Combine(server.Root, "inside"));
        await File.WriteAllTextAsync(Path.Combine(server.Root, "inside", "file.txt"), "inside\n");
        File.CreateSymbolicLink(Path.Combine(server.Root, "link"), server.Outside);
        File.CreateSymbolicLink(Path.Combine(server.Root, "filelink"), Path.Combine(server.Outside, "secret.txt"));
        File.CreateSymbolicLink(Path.Combine(server.Root, "dangling"), Path.Combine(server.Outside, "planted.txt"));
        File.CreateSymbolicLink(Path.Combine(server.Root, "alias"), Path.Combine(server.Root, "inside"));
        return server;
    }

    private static void AssertOutsideUntouched(FtpTestServer server)
    {
        Assert.Equal(["secret.txt"], Directory.GetFileSystemEntries(server.Outside).Select(Path.GetFileName));
        Assert.Equal("outside the root\n", File.ReadAllText(Path.Combine(server.Outside, "secret.txt")));
        Assert.Equal(["outside", "root"], Directory.GetFileSystemEntries(Path.GetDirectoryName(server.Root)!).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
