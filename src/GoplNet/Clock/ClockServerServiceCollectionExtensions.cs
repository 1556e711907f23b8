using GoplNet.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace GoplNet.Clock;

/// <summary>
/// Registers <see cref="ClockServer"/>s with a service collection: one unnamed server, or any
/// number of named ones (each with its own options, its own hosted service, and resolved as a keyed
/// service: <c>provider.GetRequiredKeyedService&lt;ClockServer&gt;("Tokyo")</c> or
/// <c>[FromKeyedServices("Tokyo")] ClockServer tokyo</c>). Options are validated by
/// <see cref="ClockServerOptionsValidator"/> when the host starts.
/// </summary>
public static class ClockServerServiceCollectionExtensions
{
    /// <summary>
    /// Adds a singleton <see cref="ClockServer"/> and a hosted service that starts and stops it with
    /// the generic host. The server takes <see cref="TimeProvider"/> and <see cref="Microsoft.Extensions.Logging.ILoggerFactory"/>
    /// from the container when they are registered, and the system clock and no logging otherwise.
    /// Calling it again configures the same server.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the server's options; optional.</param>
    /// <returns>The same service collection, for chaining.</returns>
    /// <example>
    /// <code>
    /// builder.Services.AddClockServer(o => { o.Port = 8010; o.TimeZoneId = "America/New_York"; });
    /// </code>
    /// </example>
    public static IServiceCollection AddClockServer(this IServiceCollection services, Action<ClockServerOptions>? configure = null)
    {
        ServerRegistration.Add<ClockServer, ClockServerOptions>(services, configure, Create);
        AddValidation(services, Options.DefaultName);
        return services;
    }

    /// <summary>
    /// Adds the unnamed <see cref="ClockServer"/> (see <see cref="AddClockServer(IServiceCollection, Action{ClockServerOptions}?)"/>)
    /// with its options read from <paramref name="configuration"/> (see <see cref="ClockServerOptions"/> for the keys).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The section holding the options, such as <c>builder.Configuration.GetSection("Clock")</c>.</param>
    /// <returns>The same service collection, for chaining.</returns>
    public static IServiceCollection AddClockServer(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        AddClockServer(services);
        services.AddSingleton<IConfigureOptions<ClockServerOptions>>(new ClockServerConfiguration(Options.DefaultName, configuration));
        return services;
    }

    /// <summary>
    /// Adds a clock server named <paramref name="name"/>, one of several in the host: its options are
    /// the named options <paramref name="name"/>, it runs under a hosted service of its own, and it
    /// is resolved as the keyed service <paramref name="name"/>
    /// (<c>GetRequiredKeyedService&lt;ClockServer&gt;(name)</c>). Calling it again with the same name
    /// configures the same server.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The server's name, and its key in the container.</param>
    /// <param name="configure">Sets the server's options.</param>
    /// <returns>The same service collection, for chaining.</returns>
    /// <example>
    /// <code>
    /// builder.Services.AddClockServer("London", o => { o.Port = 8020; o.TimeZoneId = "Europe/London"; });
    /// </code>
    /// </example>
    public static IServiceCollection AddClockServer(this IServiceCollection services, string name, Action<ClockServerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        ServerRegistration.AddNamed<ClockServer, ClockServerOptions>(services, name, Create).Configure(configure);
        AddValidation(services, name);
        return services;
    }

    /// <summary>
    /// Adds a clock server named <paramref name="name"/> (see <see cref="AddClockServer(IServiceCollection, string, Action{ClockServerOptions})"/>)
    /// with its options read from <paramref name="configuration"/>; a value that cannot be read stops
    /// the host at start with a message naming its key.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The server's name, and its key in the container.</param>
    /// <param name="configuration">The section holding the options (see <see cref="ClockServerOptions"/> for the keys).</param>
    /// <returns>The same service collection, for chaining.</returns>
    /// <example>
    /// <code>
    /// // appsettings.json: { "Clocks": { "Tokyo": { "Port": 8010, "TimeZone": "Asia/Tokyo", "Interval": "1s" } } }
    /// builder.Services.AddClockServer("Tokyo", builder.Configuration.GetSection("Clocks:Tokyo"));
    /// </code>
    /// </example>
    public static IServiceCollection AddClockServer(this IServiceCollection services, string name, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ServerRegistration.AddNamed<ClockServer, ClockServerOptions>(services, name, Create);
        services.AddSingleton<IConfigureOptions<ClockServerOptions>>(new ClockServerConfiguration(name, configuration));
        AddValidation(services, name);
        return services;
    }

    private static ClockServer Create(IOptions<ClockServerOptions> options, TimeProvider time, Microsoft.Extensions.Logging.ILogger<ClockServer> logger) =>
        new(options, time, logger);

    private static void AddValidation(IServiceCollection services, string name)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClockServerOptions>, ClockServerOptionsValidator>());
        services.AddOptions<ClockServerOptions>(name).ValidateOnStart();
    }
}
