using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GoplNet;

/// <summary>Registers the <see cref="ClockServer"/> with a service collection.</summary>
public static class ClockServerServiceCollectionExtensions
{
    /// <summary>
    /// Adds a singleton <see cref="ClockServer"/> and a hosted service that starts and stops it with
    /// the generic host. The server takes <see cref="TimeProvider"/> and <see cref="ILoggerFactory"/>
    /// from the container when they are registered, and the system clock and no logging otherwise.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the server's options; optional.</param>
    /// <returns>The same service collection, for chaining.</returns>
    /// <example>
    /// <code>
    /// builder.Services.AddClockServer(o => { o.Port = 8010; o.TimeZone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York"); });
    /// </code>
    /// </example>
    public static IServiceCollection AddClockServer(this IServiceCollection services, Action<ClockServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<ClockServerOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(provider => new ClockServer(
            provider.GetRequiredService<IOptions<ClockServerOptions>>(),
            provider.GetService<TimeProvider>() ?? TimeProvider.System,
            provider.GetService<ILoggerFactory>()?.CreateLogger<ClockServer>() ?? NullLogger<ClockServer>.Instance));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ClockServerHostedService>());
        return services;
    }
}
