using System.Text;
using GoplNet.Clock;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GoplNet.Tests.Clock;

public sealed class ClockServerOptionsTests
{
    private static ClockServerOptions Bind(IConfiguration configuration, string name = "Tokyo")
    {
        var services = new ServiceCollection();
        services.AddClockServer(name, configuration);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptionsMonitor<ClockServerOptions>>().Get(name);
    }

    private static IConfiguration Memory(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => KeyValuePair.Create<string, string?>(v.Key, v.Value)))
            .Build()
            .GetSection("Clocks:Tokyo");

    [Fact]
    public void Every_option_binds_from_a_json_section()
    {
        const string json = """
            {
              "Clocks": {
                "Tokyo": {
                  "Host": "*",
                  "Port": 8010,
                  "Layout": "Mon Jan _2 15:04:05 MST 2006",
                  "TimeZone": "Asia/Tokyo",
                  "Interval": "500ms",
                  "Mode": "Sequential",
                  "MaxClients": 100,
                  "MaxUnsentBytesPerClient": 4096,
                  "Backlog": 64
                }
              }
            }
            """;
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

        var options = Bind(configuration.GetSection("Clocks:Tokyo"));

        Assert.Equal("*", options.Host);
        Assert.Equal(8010, options.Port);
        Assert.Equal("Mon Jan _2 15:04:05 MST 2006", options.Layout);
        Assert.Equal("Asia/Tokyo", options.TimeZoneId);
        Assert.Null(options.TimeZone);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.Interval);
        Assert.Equal(ClockServerMode.Sequential, options.Mode);
        Assert.Equal(100, options.MaxClients);
        Assert.Equal(4096, options.MaxUnsentBytesPerClient);
        Assert.Equal(64, options.Backlog);
    }

    [Theory]
    [InlineData("00:00:01", 1000)]
    [InlineData("1s", 1000)]
    [InlineData("250ms", 250)]
    [InlineData("1m30s", 90_000)]
    [InlineData("00:00:00.100", 100)]
    public void Intervals_bind_as_a_time_span_or_a_go_duration(string value, int milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), Bind(Memory(("Clocks:Tokyo:Interval", value))).Interval);

    [Fact]
    public void TimeZoneId_is_the_same_key_as_TimeZone() =>
        Assert.Equal("Europe/London", Bind(Memory(("Clocks:Tokyo:TimeZoneId", "Europe/London"))).TimeZoneId);

    [Fact]
    public void A_section_left_empty_keeps_the_defaults()
    {
        var options = Bind(Memory());
        var defaults = new ClockServerOptions();
        Assert.Equal(defaults.Port, options.Port);
        Assert.Equal(defaults.Interval, options.Interval);
        Assert.Equal(defaults.Backlog, options.Backlog);
    }

    [Theory]
    [InlineData("Port", "eighty", "Clocks:Tokyo:Port: 'eighty' is not a whole number.")]
    [InlineData("Port", "70000", "Port must be from 0 to 65535 (was 70000).")]
    [InlineData("Interval", "soon", "Clocks:Tokyo:Interval: 'soon' is not a duration")]
    [InlineData("Interval", "-1s", "Interval must be positive")]
    [InlineData("TimeZone", "Mars/Olympus_Mons", "TimeZoneId: no time zone 'Mars/Olympus_Mons'")]
    [InlineData("Mode", "Parallel", "Clocks:Tokyo:Mode: 'Parallel' is not a mode (Concurrent or Sequential).")]
    [InlineData("Mode", "1", "Clocks:Tokyo:Mode: '1' is not a mode")]
    [InlineData("MaxClients", "0", "MaxClients must be at least 1 (was 0).")]
    [InlineData("Backlog", "-5", "Backlog must be at least 1 (was -5).")]
    [InlineData("Intreval", "1s", "Clocks:Tokyo:Intreval: not a clock server option")]
    public void A_bad_value_is_a_validation_failure_naming_its_key(string key, string value, string message)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(Memory(("Clocks:Tokyo:" + key, value))));

        Assert.Equal("Tokyo", error.OptionsName);
        var failure = Assert.Single(error.Failures);
        Assert.StartsWith(message, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validation_gives_one_message_per_bad_field()
    {
        var options = new ClockServerOptions
        {
            Port = -1,
            Layout = "",
            Interval = TimeSpan.Zero,
            MaxClients = 0,
            MaxUnsentBytesPerClient = 0,
            Backlog = 0,
            Mode = (ClockServerMode)7,
            TimeZone = TimeZoneInfo.Utc,
            TimeZoneId = "UTC",
        };

        var result = new ClockServerOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal(
            ["Port", "Layout", "TimeZone", "Interval", "Mode", "MaxClients", "MaxUnsentBytesPerClient", "Backlog"],
            result.Failures!.Select(f => f[..f.IndexOfAny([' ', ':'])]));
    }

    [Fact]
    public void The_constructor_refuses_bad_options_with_the_validators_messages()
    {
        var error = Assert.Throws<ArgumentException>(() => new ClockServer(new ClockServerOptions { Port = 70_000, Backlog = 0 }));

        Assert.Contains("Port must be from 0 to 65535 (was 70000).", error.Message, StringComparison.Ordinal);
        Assert.Contains("Backlog must be at least 1 (was 0).", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Valid_options_pass() =>
        Assert.True(new ClockServerOptionsValidator().Validate(null, new ClockServerOptions { TimeZoneId = "Asia/Tokyo" }).Succeeded);
}
