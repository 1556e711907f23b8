using System.Net.Sockets;

namespace Gopl;

/// <summary>Runs a started server until Ctrl+C or SIGTERM, then stops it within a bounded time.</summary>
internal static class ServerRunner
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Starts a server, turning "cannot listen" into one clear line and exit code 1.</summary>
    public static async Task StartAsync(Func<CancellationToken, Task> start, string what, string host, int port, CancellationToken cancellationToken)
    {
        try
        {
            await start(cancellationToken);
        }
        catch (SocketException e)
        {
            var reason = e.SocketErrorCode switch
            {
                SocketError.AddressAlreadyInUse => "address already in use",
                SocketError.AccessDenied => "permission denied",
                SocketError.AddressNotAvailable => "address not available on this machine",
                SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "unknown host",
                _ => e.Message,
            };
            throw new CommandFailedException($"{what}: cannot listen on {host}:{port}: {reason}", e);
        }
    }

    /// <summary>Waits for the shutdown signal, then stops the server.</summary>
    public static async Task<int> RunUntilStoppedAsync(Func<CancellationToken, Task> stop, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C or SIGTERM: a graceful stop.
        }

        using var timeout = new CancellationTokenSource(StopTimeout);
        try
        {
            await stop(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Stopping took too long; the process exits anyway.
        }

        return ExitCodes.Success;
    }
}
