namespace Gopl;

/// <summary>
/// A runtime failure the user can act on (a refused connection, a port in use), already
/// worded as the one line the tool prints before exiting 1.
/// </summary>
internal sealed class CommandFailedException(string message, Exception? innerException = null)
    : Exception(message, innerException);
