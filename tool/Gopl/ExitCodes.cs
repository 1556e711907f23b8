namespace Gopl;

/// <summary>The tool's exit codes, the same for every subcommand.</summary>
internal static class ExitCodes
{
    /// <summary>Success, including a graceful stop on Ctrl+C or SIGTERM.</summary>
    public const int Success = 0;

    /// <summary>A runtime failure: a refused connection, a port in use.</summary>
    public const int RuntimeFailure = 1;

    /// <summary>A bad command line, or an input file named on it that cannot be used (a users file, a certificate).</summary>
    public const int Usage = 2;

    /// <summary>
    /// Standard output was closed by its reader (<c>| head</c>): 128 + SIGPIPE, the status of a
    /// Unix program stopped by the signal, as Go's programs and <c>nc</c> are.
    /// </summary>
    public const int OutputClosed = 141;
}
