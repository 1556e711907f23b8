using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using GoplNet.Clock;
using GoplNet.Ftp;
using GoplNet.Ftp.Authentication;
using GoplNet.Ftp.Events;
using GoplNet.Ftp.Storage;
using GoplNet.Tests.Ftp;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GoplNet.Tests.Readme;

/// <summary>The README's library snippets are the compiled code in <see cref="ReadmeSnippets"/>, and that code works.</summary>
public sealed partial class ReadmeSnippetTests
{
    [Theory]
    [InlineData("hosting")]
    [InlineData("in-memory")]
    [InlineData("authenticator")]
    [InlineData("upload-handler")]
    [InlineData("metrics")]
    public void The_README_shows_the_compiled_snippet(string name)
    {
        var root = RepositoryRoot();
        var readme = File.ReadAllText(Path.Combine(root, "README.md")).ReplaceLineEndings("\n");
        var code = File.ReadAllText(Path.Combine(root, "tests", "GoplNet.Tests", "Readme", "ReadmeSnippets.cs")).ReplaceLineEndings("\n");

        var shown = ReadmeBlock().Matches(readme).SingleOrDefault(m => m.Groups["name"].Value == name)?.Groups["code"].Value;
        var compiled = CodeRegion().Matches(code).SingleOrDefault(m => m.Groups["name"].Value == name)?.Groups["code"].Value;

        Assert.NotNull(compiled);
        Assert.True(shown is not null, $"README.md has no block under <!-- snippet: {name} -->");
        Assert.Equal(Dedent(compiled), Dedent(shown));
    }

    [Fact]
    public async Task The_hosting_snippet_runs_clocks_and_an_ftp_server_with_the_authenticator_and_the_upload_handler()
    {
        var files = new InMemoryFtpFileSystem();
        files.WriteAllBytes("/tenants/1/welcome.txt", "acme\n"u8);
        files.WriteAllBytes("/tenants/2/welcome.txt", "globex\n"u8);
        string[] args =
        [
            "--Clocks:Tokyo:Port=0", "--Clocks:Tokyo:TimeZone=Asia/Tokyo", "--Clocks:Tokyo:Layout=15:04:05 MST",
            "--Clocks:London:Port=0", "--Clocks:London:TimeZone=Europe/London",
            "--Ftp:Port=0", "--Ftp:LoginFailureDelay=0s",
        ];
        using var host = ReadmeSnippets.BuildHost(args, files);
        await host.StartAsync();

        await using (var tokyo = await LineSocket.ConnectAsync(host.Services.GetRequiredKeyedService<ClockServer>("Tokyo").LocalEndPoint))
        {
            Assert.EndsWith(" JST", await tokyo.ReadLineAsync(), StringComparison.Ordinal);
        }

        var ftp = host.Services.GetRequiredService<FtpServer>();
        await using (var acme = await FtpTestClient.LoginAsync(ftp.LocalEndPoint, "acme", "acme-pw"))
        {
            var (listing, _) = await acme.DownloadAsync("NLST");
            Assert.Equal("welcome.txt\r\n", System.Text.Encoding.ASCII.GetString(listing));
            Assert.Equal(226, (await acme.UploadAsync("STOR invoice.csv", "a,b\n"u8.ToArray())).Code);
            Assert.Equal(553, (await acme.UploadAsync("STOR tool.exe", "MZ"u8.ToArray())).Code);
            Assert.Equal(550, (await acme.CommandAsync("DELE welcome.txt")).Code);
            await acme.ExpectAsync("QUIT", 221);
        }

        await using (var wrong = await FtpTestClient.ConnectAsync(ftp.LocalEndPoint))
        {
            await wrong.ReadAsync();
            await wrong.ExpectAsync("USER acme", 331);
            Assert.Equal(530, (await wrong.CommandAsync("PASS globex-pw")).Code);
        }

        var queue = (UploadQueue)host.Services.GetRequiredService<IUploadQueue>();
        await FtpTestServer.EventuallyAsync(() => { lock (queue.Items) { return queue.Items.Count == 1; } }, "the upload is queued");
        Assert.Equal(("acme", "/invoice.csv", "a,b\n"), queue.Items[0]);
        Assert.Equal("a,b\n"u8.ToArray(), files.ReadAllBytes("/tenants/1/invoice.csv"));
        Assert.False(files.Exists("/tenants/1/tool.exe"));
        await host.StopAsync();
    }

    [Fact]
    public async Task The_in_memory_and_metrics_snippets_serve_a_client_and_see_its_login()
    {
        var logins = new ConcurrentQueue<long>();
        using var listener = ReadmeSnippets.ListenToFtpMetrics((name, value) =>
        {
            if (name == "goplnet.ftp.logins")
            {
                logins.Enqueue(value);
            }
        });
        var (server, files) = await ReadmeSnippets.StartInMemoryAsync(CancellationToken.None);
        await using (server)
        {
            await using var client = await FtpTestClient.LoginAsync(server.LocalEndPoint, "alice", "secret");
            var (data, reply) = await client.DownloadAsync("RETR pub/hello.txt");
            Assert.Equal((226, "hello\n"), (reply.Code, System.Text.Encoding.ASCII.GetString(data)));
            await client.ExpectAsync("MKD in", 257);
            Assert.Equal(226, (await client.UploadAsync("STOR in/report.csv", "x,y\n"u8.ToArray())).Code);
        }

        Assert.Equal("x,y\n"u8.ToArray(), files.ReadAllBytes("/in/report.csv"));
        Assert.NotEmpty(logins);
    }

    private static string Dedent(string block)
    {
        var lines = block.Trim('\n').Split('\n');
        var indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        return string.Join('\n', lines.Select(l => l.Length >= indent ? l[indent..].TrimEnd() : l.Trim()));
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "GoplNet.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("GoplNet.sln not found above the test directory");
    }

    [GeneratedRegex(@"<!-- snippet: (?<name>[\w-]+) -->\n```csharp\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex ReadmeBlock();

    [GeneratedRegex(@"// snippet: (?<name>[\w-]+)\n(?<code>.*?)\n\s*// end snippet", RegexOptions.Singleline)]
    private static partial Regex CodeRegion();
}
