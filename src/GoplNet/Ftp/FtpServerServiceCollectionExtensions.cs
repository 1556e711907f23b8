using GoplNet.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace GoplNet.Ftp;

/// <summary>Registers the <see cref="FtpServer"/> with a service collection.</summary>
public static class FtpServerServiceCollectionExtensions
{
    /// <summary>
    /// Adds a singleton <see cref="FtpServer"/> and a hosted service that starts and stops it with the
    /// generic host; <see cref="TimeProvider"/> and <see cref="Microsoft.Extensions.Logging.ILoggerFactory"/> come from the container when registered.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the server's options; optional.</param>
    /// <returns>The same service collection, for chaining.</returns>
    /// <example>
    /// <code>
    /// builder.Services.AddFtpServer(o => { o.Root = "/srv/ftp"; o.Users.Add(FtpUser.WithPassword("alice", "secret")); });
    /// </code>
    /// </example>
    public static IServiceCollection AddFtpServer(this IServiceCollection services, Action<FtpServerOptions>? configure = null) =>
        ServerRegistration.Add<FtpServer, FtpServerOptions>(services, configure, static (options, time, logger) => new FtpServer(options, time, logger));
}
