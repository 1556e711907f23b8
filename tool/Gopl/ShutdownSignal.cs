using System.Runtime.InteropServices;

namespace Gopl;

/// <summary>
/// Turns Ctrl+C (SIGINT) and SIGTERM into a cancellation token, so the running subcommand
/// stops its work, releases its sockets and the process exits 0 instead of being killed.
/// </summary>
internal sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private readonly PosixSignalRegistration[] _registrations;

    public ShutdownSignal()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
        ];
    }

    public CancellationToken Token => _cts.Token;

    private void OnSignal(PosixSignalContext context)
    {
        // Cancelling the default action keeps the process alive until the command has stopped.
        context.Cancel = true;
        _cts.Cancel();
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _cts.Dispose();
    }
}
