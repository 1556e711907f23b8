using GoplNet.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace GoplNet.Clock;

/// <summary>Registers the <see cref="ClockServer"/> with a service collection.</summary>
public static class ClockServerServiceCollectionExtensions
{
    /// <summary>
    /// Adds a singleton <see cref="ClockServer"/> and a hosted service that starts and stops it with
    /// the generic host. The server takes <see cref="TimeProvider"/> and <see cref="Microsoft.Extensions.Logging.ILoggerFactory"/>
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
    public static IServiceCollection AddClockServer(this IServiceCollection services, Action<ClockServerOptions>? configure = null) =>
        ServerRegistration.Add<ClockServer, ClockServerOptions>(services, configure, static (options, time, logger) => new ClockServer(options, time, logger));
}
