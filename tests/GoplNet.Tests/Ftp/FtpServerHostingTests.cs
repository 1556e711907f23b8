using GoplNet.Ftp;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GoplNet.Tests.Ftp;

public sealed class FtpServerHostingTests
{
    [Fact]
    public async Task AddFtpServer_runs_the_server_with_the_host()
    {
        var root = Directory.CreateTempSubdirectory("goplnet-ftp-host-").FullName;
        try
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Services.AddFtpServer(o =>
            {
                o.Root = root;
                o.Port = 0;
                o.Banner = "hosted";
                o.AllowAnonymous = true;
            });
            using var host = builder.Build();

            await host.StartAsync();
            var server = host.Services.GetRequiredService<FtpServer>();
            await using (var client = await LineSocket.ConnectAsync(server.LocalEndPoint))
            {
                Assert.Equal("220 hosted", await client.ReadLineAsync());
            }

            await host.StopAsync();
            Assert.Single(builder.Services, d => d.ServiceType == typeof(IHostedService));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
