using GoplNet.Clock;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
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
    public async Task Named_clock_servers_run_side_by_side_each_with_its_own_options()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 8, 1, 2, TimeSpan.Zero));
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Clocks:Tokyo:Port"] = "0",
            ["Clocks:Tokyo:TimeZone"] = "Asia/Tokyo",
            ["Clocks:Tokyo:Layout"] = "15:04:05 MST",
        });
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddClockServer("Tokyo", builder.Configuration.GetSection("Clocks:Tokyo"));
        builder.Services.AddClockServer("London", o =>
        {
            o.Port = 0;
            o.TimeZoneId = "Europe/London";
            o.Layout = "15:04:05 MST";
        });
        using var host = builder.Build();

        await host.StartAsync();
        var tokyo = host.Services.GetRequiredKeyedService<ClockServer>("Tokyo");
        var london = host.Services.GetRequiredKeyedService<ClockServer>("London");
        Assert.NotSame(tokyo, london);
        Assert.NotEqual(tokyo.LocalEndPoint.Port, london.LocalEndPoint.Port);
        await using (var client = await LineSocket.ConnectAsync(tokyo.LocalEndPoint))
        {
            Assert.Equal("17:01:02 JST", await client.ReadLineAsync());
        }

        await using (var client = await LineSocket.ConnectAsync(london.LocalEndPoint))
        {
            Assert.Equal("08:01:02 GMT", await client.ReadLineAsync());
        }

        await host.StopAsync();
        Assert.Throws<InvalidOperationException>(() => host.Services.GetRequiredService<ClockServer>());
    }

    [Fact]
    public async Task A_bad_configuration_value_stops_the_host_at_start_naming_the_key()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Clocks:Tokyo:Interval"] = "every second" });
        builder.Services.AddClockServer("Tokyo", builder.Configuration.GetSection("Clocks:Tokyo"));
        builder.Services.AddClockServer("London", o => o.Port = 0);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal("Tokyo", error.OptionsName);
        Assert.Contains("Clocks:Tokyo:Interval: 'every second' is not a duration", error.Message, StringComparison.Ordinal);
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
    public void A_name_added_twice_is_one_server_with_both_configurations()
    {
        var services = new ServiceCollection();
        services.AddClockServer("Tokyo", o => o.Port = 8010).AddClockServer("Tokyo", o => o.TimeZoneId = "Asia/Tokyo").AddClockServer("London", o => o.Port = 8020);

        Assert.Equal(2, services.Count(d => d.ServiceType == typeof(ClockServer)));
        Assert.Equal(2, services.Count(d => d.ServiceType == typeof(IHostedService)));
        using var provider = services.BuildServiceProvider();
        var tokyo = provider.GetRequiredService<IOptionsMonitor<ClockServerOptions>>().Get("Tokyo");
        Assert.Equal((8010, "Asia/Tokyo"), (tokyo.Port, tokyo.TimeZoneId));
    }

    [Fact]
    public void AddClockServer_guards_its_arguments()
    {
        Assert.Throws<ArgumentNullException>(() => ClockServerServiceCollectionExtensions.AddClockServer(null!));
        Assert.Throws<ArgumentNullException>(() => new ServiceCollection().AddClockServer(null!, o => { }));
        Assert.Throws<ArgumentNullException>(() => new ServiceCollection().AddClockServer("Tokyo", (IConfiguration)null!));
    }
}
