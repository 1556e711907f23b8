namespace GoplNet.Hosting;

/// <summary>A server the generic host starts and stops (the clock server, the FTP server).</summary>
internal interface IHostedServer
{
    Task StartAsync(CancellationToken cancellationToken);

    Task StopAsync(CancellationToken cancellationToken);
}
