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
            TimeOf(provider),
            LoggerOf<TServer>(provider)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, HostedServerAdapter<TServer>>());
        return services;
    }

    /// <summary>
    /// One server of several: its options under <paramref name="name"/> (named options), the server a
    /// keyed singleton under the same name, and a hosted service of its own. Registering a name again
    /// adds to that server's options and nothing else.
    /// </summary>
    /// <returns>The options builder of the name, to configure and validate.</returns>
    public static OptionsBuilder<TOptions> AddNamed<TServer, [System.Diagnostics.CodeAnalysis.DynamicallyAccessedMembers(System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(
        IServiceCollection services,
        string name,
        Func<IOptions<TOptions>, TimeProvider, ILogger<TServer>, TServer> create)
        where TServer : class, IHostedServer
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(name);
        var options = services.AddOptions<TOptions>(name);
        if (services.Any(d => d.IsKeyedService && d.ServiceType == typeof(TServer) && Equals(d.ServiceKey, name)))
        {
            return options;
        }

        services.AddKeyedSingleton(name, (provider, _) => create(
            Options.Create(provider.GetRequiredService<IOptionsMonitor<TOptions>>().Get(name)),
            TimeOf(provider),
            LoggerOf<TServer>(provider)));
        services.AddSingleton<IHostedService>(provider => new HostedServerAdapter<TServer>(provider.GetRequiredKeyedService<TServer>(name)));
        return options;
    }

    private static TimeProvider TimeOf(IServiceProvider provider) => provider.GetService<TimeProvider>() ?? TimeProvider.System;

    private static ILogger<TServer> LoggerOf<TServer>(IServiceProvider provider) =>
        provider.GetService<ILoggerFactory>() is { } factory ? new Logger<TServer>(factory) : NullLogger<TServer>.Instance;
}
