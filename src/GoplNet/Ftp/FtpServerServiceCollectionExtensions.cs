using GoplNet.Ftp.Authentication;
using GoplNet.Ftp.Events;
using GoplNet.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GoplNet.Ftp;

/// <summary>Registers the <see cref="FtpServer"/> with a service collection.</summary>
public static class FtpServerServiceCollectionExtensions
{
    /// <summary>
    /// Adds a singleton <see cref="FtpServer"/> and a hosted service that starts and stops it with the
    /// generic host. From the container, when registered: <see cref="TimeProvider"/>,
    /// <see cref="ILoggerFactory"/>, an <see cref="IFtpAuthenticator"/> (instead of the built-in one)
    /// and every <see cref="FtpServerEvents"/> singleton.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the server's options; optional.</param>
    /// <returns>The same service collection, for chaining.</returns>
    /// <example>
    /// <code>
    /// builder.Services.AddFtpServer(o => { o.Root = "/srv/ftp"; o.Users.Add(FtpUser.WithPassword("alice", "secret")); });
    /// builder.Services.AddSingleton&lt;FtpServerEvents, ScanUploads&gt;();
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

        return AddServer(services);
    }

    /// <summary>
    /// Adds the <see cref="FtpServer"/> with its options read from a configuration section (see
    /// <see cref="FtpServerOptions.Bind"/>: an unknown key or an unreadable value stops the host's
    /// start with a message naming it), then <paramref name="configure"/> for what configuration
    /// cannot hold (a storage, an authenticator, event handlers).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The section, such as <c>builder.Configuration.GetSection("Ftp")</c>.</param>
    /// <param name="configure">Further settings; optional.</param>
    /// <returns>The same service collection, for chaining.</returns>
    public static IServiceCollection AddFtpServer(this IServiceCollection services, IConfiguration configuration, Action<FtpServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var options = services.AddOptions<FtpServerOptions>().Configure(o => o.Bind(configuration));
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return AddServer(services);
    }

    private static IServiceCollection AddServer(IServiceCollection services)
    {
        services.AddOptions<FtpServerOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FtpServerOptions>, FtpServerOptionsValidator>());
        services.TryAddSingleton(provider => new FtpServer(
            provider.GetRequiredService<IOptions<FtpServerOptions>>(),
            provider.GetService<TimeProvider>() ?? TimeProvider.System,
            provider.GetService<ILoggerFactory>()?.CreateLogger<FtpServer>() ?? NullLogger<FtpServer>.Instance,
            provider.GetService<IFtpAuthenticator>(),
            provider.GetServices<FtpServerEvents>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, HostedServerAdapter<FtpServer>>());
        return services;
    }
}
