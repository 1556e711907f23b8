using System.CommandLine;

namespace Gopl;

/// <summary>Options that every subcommand accepts.</summary>
internal static class GlobalOptions
{
    public static readonly Option<bool> Verbose = new("--verbose")
    {
        Description = "Log debug messages and print stack traces of failures (to standard error).",
        Recursive = true,
    };
}
