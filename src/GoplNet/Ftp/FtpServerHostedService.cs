using Microsoft.Extensions.Hosting;

namespace GoplNet;

/// <summary>Runs the container's <see cref="FtpServer"/> for the lifetime of a generic host.</summary>
internal sealed class FtpServerHostedService(FtpServer server) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => server.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => server.StopAsync(cancellationToken);
}
