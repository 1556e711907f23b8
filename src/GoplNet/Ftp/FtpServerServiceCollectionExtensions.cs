using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GoplNet;

/// <summary>Registers the <see cref="FtpServer"/> with a service collection.</summary>
public static class FtpServerServiceCollectionExtensions
{
    /// <summary>
    /// Adds a singleton <see cref="FtpServer"/> and a hosted service that starts and stops it with the
    /// generic host; <see cref="TimeProvider"/> and <see cref="ILoggerFactory"/> come from the container when registered.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the server's options; optional.</param>
    /// <returns>The same service collection, for chaining.</returns>
    /// <example>
    /// <code>
    /// builder.Services.AddFtpServer(o => { o.Root = "/srv/ftp"; o.Users.Add(FtpUser.WithPassword("alice", "secret")); });
    /// </code>
    /// </example>
    public static IServiceCollection AddFtpServer(this IServiceCollection services, Action<FtpServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<FtpServerOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(provider => new FtpServer(
            provider.GetRequiredService<IOptions<FtpServerOptions>>(),
            provider.GetService<TimeProvider>() ?? TimeProvider.System,
            provider.GetService<ILoggerFactory>()?.CreateLogger<FtpServer>() ?? NullLogger<FtpServer>.Instance));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, FtpServerHostedService>());
        return services;
    }
}
