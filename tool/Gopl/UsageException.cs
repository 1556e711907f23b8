namespace Gopl;

/// <summary>
/// A command line that parsed but makes no sense (an unknown time zone, a port out of range).
/// The tool prints its message on one line and exits 2.
/// </summary>
internal sealed class UsageException(string message) : Exception(message);
