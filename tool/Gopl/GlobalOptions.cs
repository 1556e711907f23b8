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

    public static readonly Option<string> LogFormat = new("--log-format")
    {
        Description = "How log lines on standard error look: text, or json (one JSON object a line, for log shippers)",
        HelpName = "text|json",
        DefaultValueFactory = _ => "text",
        Recursive = true,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            if (text is not ("text" or "json"))
            {
                result.AddError($"--log-format: '{text}' is neither text nor json");
            }

            return text;
        },
    };
}
