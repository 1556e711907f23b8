using Microsoft.Extensions.Configuration;
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
    /// The options are validated when the host starts (or when first used), with one message per bad setting.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the clients' options; optional.</param>
    /// <returns>The same service collection, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static IServiceCollection AddLineClientFactory(this IServiceCollection services, Action<LineClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<LineClientOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LineClientOptions>, LineClientOptionsValidator>());
        services.TryAddSingleton(provider => new LineClientFactory(
            provider.GetRequiredService<IOptions<LineClientOptions>>(),
            provider.GetService<TimeProvider>() ?? TimeProvider.System,
            provider.GetService<ILoggerFactory>()));
        return services;
    }

    /// <summary>
    /// Adds a singleton <see cref="LineClientFactory"/> whose options are read from
    /// <paramref name="configuration"/> (a section such as <c>LineClient</c>, whose keys are the
    /// property names of <see cref="LineClientOptions"/>): durations as <c>00:00:10</c> or in Go's
    /// syntax (<c>10s</c>, <c>500ms</c>), numbers in the invariant culture. A value that cannot be
    /// read is reported with the other validation failures.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration section with the options.</param>
    /// <returns>The same service collection, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configuration"/> is <see langword="null"/>.</exception>
    public static IServiceCollection AddLineClientFactory(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton<IConfigureOptions<LineClientOptions>>(new LineClientOptionsBinder(configuration));
        return services.AddLineClientFactory();
    }
}
