using GoplNet.Clock;
using GoplNet.Ftp;
using GoplNet.Ftp.Authentication;
using GoplNet.Ftp.Storage;
using GoplNet.Tests.Ftp;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GoplNet.Tests.Hosting;

/// <summary>
/// A worker service as an application writes it: two named clock servers (exercise 8.1's clock per
/// zone) and an FTP server in one generic host, every setting from an appsettings.json on disk.
/// </summary>
public sealed class WorkerServiceTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("goplnet-worker-").FullName;

    [Fact]
    public async Task One_host_runs_named_clocks_and_an_ftp_server_from_a_json_file()
    {
        var hash = FtpPasswordHash.Create("secret");
        var settings = Path.Combine(_directory, "appsettings.json");
        await File.WriteAllTextAsync(settings, $$"""
            {
              "Clocks": {
                "Tokyo":  { "Port": 0, "TimeZone": "Asia/Tokyo",    "Layout": "15:04:05 MST", "Interval": "1s" },
                "London": { "Port": 0, "TimeZone": "Europe/London", "Layout": "15:04:05 MST", "Interval": "1s" }
              },
              "Ftp": {
                "Port": 0, "Banner": "worker ready", "IdleTimeout": "2m", "UploadFileMode": "0640",
                "Users": [ { "Name": "alice", "PasswordHash": "{{hash}}", "Home": "/alice", "Permissions": "List, Read, Write" } ]
              }
            }
            """);
        var files = new InMemoryFtpFileSystem();
        files.WriteAllBytes("/alice/hello.txt", "hello\n"u8);

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _directory, Args = [] });
        builder.Configuration.AddJsonFile(settings);
        builder.Services.AddClockServer("Tokyo", builder.Configuration.GetSection("Clocks:Tokyo"));
        builder.Services.AddClockServer("London", builder.Configuration.GetSection("Clocks:London"));
        builder.Services.AddFtpServer(builder.Configuration.GetSection("Ftp"), o => o.FileSystem = files);
        using var host = builder.Build();
        await host.StartAsync();

        var tokyo = host.Services.GetRequiredKeyedService<ClockServer>("Tokyo");
        var london = host.Services.GetRequiredKeyedService<ClockServer>("London");
        await using (var client = await LineSocket.ConnectAsync(tokyo.LocalEndPoint))
        {
            Assert.Matches(@"^\d\d:\d\d:\d\d JST$", await client.ReadLineAsync());
        }

        await using (var client = await LineSocket.ConnectAsync(london.LocalEndPoint))
        {
            Assert.Matches(@"^\d\d:\d\d:\d\d (GMT|BST)$", await client.ReadLineAsync());
        }

        var ftp = host.Services.GetRequiredService<FtpServer>();
        await using (var client = await FtpTestClient.ConnectAsync(ftp.LocalEndPoint))
        {
            Assert.EndsWith("worker ready", (await client.ReadAsync()).Text, StringComparison.Ordinal);
            await client.ExpectAsync("USER alice", 331);
            await client.ExpectAsync("PASS secret", 230);
            await client.ExpectAsync("TYPE I", 200);
            var (data, reply) = await client.DownloadAsync("RETR hello.txt");
            Assert.Equal((226, "hello\n"), (reply.Code, System.Text.Encoding.ASCII.GetString(data)));
            Assert.Equal(550, (await client.CommandAsync("DELE hello.txt")).Code);
        }

        await host.StopAsync();
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
