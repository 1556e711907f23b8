using GoplNet.Clock;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace GoplNet.Tests.Clock;

public sealed class ClockServerHostingTests
{
    [Fact]
    public async Task AddClockServer_runs_the_server_with_the_host_and_the_container_clock()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 8, 1, 2, TimeSpan.Zero));
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddClockServer(o =>
        {
            o.Port = 0;
            o.TimeZone = TimeZoneInfo.Utc;
        });
        using var host = builder.Build();

        await host.StartAsync();
        var server = host.Services.GetRequiredService<ClockServer>();
        await using var client = await LineSocket.ConnectAsync(server.LocalEndPoint);
        Assert.Equal("08:01:02", await client.ReadLineAsync());

        await host.StopAsync();
        Assert.Null(await client.ReadLineAsync());
    }

    [Fact]
    public void AddClockServer_twice_registers_one_server_and_one_hosted_service()
    {
        var services = new ServiceCollection();
        services.AddClockServer().AddClockServer();

        Assert.Single(services, d => d.ServiceType == typeof(ClockServer));
        Assert.Single(services, d => d.ServiceType == typeof(IHostedService));
    }

    [Fact]
    public void AddClockServer_guards_its_argument() =>
        Assert.Throws<ArgumentNullException>(() => ClockServerServiceCollectionExtensions.AddClockServer(null!));
}
