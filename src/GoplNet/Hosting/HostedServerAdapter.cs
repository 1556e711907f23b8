using Microsoft.Extensions.Hosting;

namespace GoplNet.Hosting;

/// <summary>Runs the container's <typeparamref name="TServer"/> for the lifetime of a generic host.</summary>
internal sealed class HostedServerAdapter<TServer>(TServer server) : IHostedService
    where TServer : class, IHostedServer
{
    public Task StartAsync(CancellationToken cancellationToken) => server.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => server.StopAsync(cancellationToken);
}
