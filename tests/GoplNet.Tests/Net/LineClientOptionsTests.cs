using GoplNet.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GoplNet.Tests.Net;

public sealed class LineClientOptionsTests
{
    [Fact]
    public void Every_option_binds_from_configuration_with_Go_durations()
    {
        var configuration = Configuration(new()
        {
            ["LineClient:ConnectTimeout"] = "500ms",
            ["LineClient:MaxLineLength"] = "128",
            ["LineClient:EncodingName"] = "latin1",
            ["LineClient:ReconnectDelay"] = "00:00:02",
            ["LineClient:MaxReconnectDelay"] = "1m30s",
            ["LineClient:ReconnectJitter"] = "0.5",
        });
        using var provider = new ServiceCollection().AddLineClientFactory(configuration.GetSection("LineClient")).BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<LineClientOptions>>().Value;

        Assert.Equal(TimeSpan.FromMilliseconds(500), options.ConnectTimeout);
        Assert.Equal(128, options.MaxLineLength);
        Assert.Equal("latin1", options.EncodingName);
        Assert.Equal(TimeSpan.FromSeconds(2), options.ReconnectDelay);
        Assert.Equal(TimeSpan.FromSeconds(90), options.MaxReconnectDelay);
        Assert.Equal(0.5, options.ReconnectJitter);
        Assert.NotNull(provider.GetRequiredService<LineClientFactory>().Create("localhost:8000"));
    }

    [Fact]
    public void Every_option_also_binds_with_the_standard_configuration_binder()
    {
        var configuration = Configuration(new()
        {
            ["ConnectTimeout"] = "00:00:03",
            ["MaxLineLength"] = "256",
            ["EncodingName"] = "us-ascii",
            ["ReconnectDelay"] = "00:00:00.5",
            ["MaxReconnectDelay"] = "00:01:00",
            ["ReconnectJitter"] = "0",
        });
        var services = new ServiceCollection().AddLineClientFactory();
        services.Configure<LineClientOptions>(configuration);
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<LineClientOptions>>().Value;

        Assert.Equal(
            (TimeSpan.FromSeconds(3), 256, "us-ascii", TimeSpan.FromMilliseconds(500), TimeSpan.FromMinutes(1), 0.0),
            (options.ConnectTimeout, options.MaxLineLength, options.EncodingName, options.ReconnectDelay, options.MaxReconnectDelay, options.ReconnectJitter));
    }

    [Fact]
    public void Bad_settings_fail_validation_with_one_message_each()
    {
        var configuration = Configuration(new()
        {
            ["ConnectTimeout"] = "soon",
            ["MaxLineLength"] = "0",
            ["EncodingName"] = "klingon",
            ["ReconnectDelay"] = "2s",
            ["MaxReconnectDelay"] = "1s",
            ["ReconnectJitter"] = "1.5",
        });
        using var provider = new ServiceCollection().AddLineClientFactory(configuration).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<LineClientOptions>>().Value);

        Assert.Equal(
            [
                "ConnectTimeout 'soon' is not a duration (as 00:00:10, or Go's 10s, 500ms, 1m30s).",
                "MaxLineLength must be at least 1 (it is 0).",
                "EncodingName 'klingon' is not an encoding this runtime knows (utf-8, latin1, us-ascii, utf-16...).",
                "MaxReconnectDelay must be at least ReconnectDelay (1s < 2s).",
                "ReconnectJitter must be from 0 to 1 (it is 1.5).",
            ],
            error.Failures);
    }

    [Fact]
    public void The_constructor_names_every_bad_setting()
    {
        var options = new LineClientOptions { ConnectTimeout = TimeSpan.Zero, ReconnectDelay = TimeSpan.FromSeconds(-1) };

        var error = Assert.Throws<ArgumentException>(() => new LineClient("localhost:8000", options));

        Assert.Equal("options", error.ParamName);
        Assert.Contains("ConnectTimeout must be more than zero (it is 0s).", error.Message, StringComparison.Ordinal);
        Assert.Contains("ReconnectDelay must be more than zero (it is -1s).", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_defaults_are_valid()
    {
        var validator = new ServiceCollection().AddLineClientFactory().BuildServiceProvider()
            .GetServices<IValidateOptions<LineClientOptions>>().Single();

        Assert.True(validator.Validate(Options.DefaultName, new LineClientOptions()).Succeeded);
    }

    private static IConfigurationRoot Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
