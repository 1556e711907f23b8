using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GoplNet.Hosting;

/// <summary>The registration every server shares: options, a singleton built from the container, and a hosted service.</summary>
internal static class ServerRegistration
{
    public static IServiceCollection Add<TServer, [System.Diagnostics.CodeAnalysis.DynamicallyAccessedMembers(System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(
        IServiceCollection services,
        Action<TOptions>? configure,
        Func<IOptions<TOptions>, TimeProvider, ILogger<TServer>, TServer> create)
        where TServer : class, IHostedServer
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<TOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        // TimeProvider and logging come from the container when registered, else the system clock and no logs.
        services.TryAddSingleton(provider => create(
            provider.GetRequiredService<IOptions<TOptions>>(),
            provider.GetService<TimeProvider>() ?? TimeProvider.System,
            provider.GetService<ILoggerFactory>()?.CreateLogger<TServer>() ?? NullLogger<TServer>.Instance));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, HostedServerAdapter<TServer>>());
        return services;
    }
}
