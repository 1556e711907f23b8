namespace Gopl;

/// <summary>The tool's exit codes, the same for every subcommand.</summary>
internal static class ExitCodes
{
    /// <summary>Success, including a graceful stop on Ctrl+C or SIGTERM.</summary>
    public const int Success = 0;

    /// <summary>A runtime failure: a refused connection, a port in use.</summary>
    public const int RuntimeFailure = 1;

    /// <summary>A bad command line.</summary>
    public const int Usage = 2;
}
