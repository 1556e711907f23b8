using Microsoft.Win32.SafeHandles;

namespace Gopl;

/// <summary>
/// Standard output as a stream whose writes fail once the reader has gone (<c>gopl netcat | head -3</c>).
/// The console's own stream drops writes that fail with EPIPE, and the runtime ignores SIGPIPE,
/// so a program writing through it would never learn that nobody reads and would run forever.
/// </summary>
internal static class StandardOutput
{
    /// <summary>An unbuffered stream on descriptor 1; a write after the reader has closed throws <see cref="IOException"/>.</summary>
    public static Stream Open() => new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
}
