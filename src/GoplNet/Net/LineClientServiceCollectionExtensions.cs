using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GoplNet.Net;

/// <summary>Registers the <see cref="LineClientFactory"/> with a service collection.</summary>
public static class LineClientServiceCollectionExtensions
{
    /// <summary>
    /// Adds a singleton <see cref="LineClientFactory"/>; clients it creates take
    /// <see cref="TimeProvider"/> and <see cref="ILoggerFactory"/> from the container when registered.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the clients' options; optional.</param>
    /// <returns>The same service collection, for chaining.</returns>
    public static IServiceCollection AddLineClientFactory(this IServiceCollection services, Action<LineClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<LineClientOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(provider => new LineClientFactory(
            provider.GetRequiredService<IOptions<LineClientOptions>>(),
            provider.GetService<TimeProvider>() ?? TimeProvider.System,
            provider.GetService<ILoggerFactory>()));
        return services;
    }
}
