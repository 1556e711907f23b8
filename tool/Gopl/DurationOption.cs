using System.CommandLine;
using GoplNet;

namespace Gopl;

/// <summary>Options that take a duration in Go's syntax (<c>1s</c>, <c>500ms</c>, <c>2m</c>), as the book's programs do.</summary>
internal static class DurationOption
{
    public static Option<TimeSpan> Create(string name, TimeSpan defaultValue, string description) => new(name)
    {
        Description = $"{description} (Go duration, e.g. 1s, 500ms, 2m; default {GoDuration.Format(defaultValue)})",
        HelpName = "duration",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            if (GoDuration.TryParse(text, out var value) && value > TimeSpan.Zero)
            {
                return value;
            }

            result.AddError($"{name}: '{text}' is not a positive Go duration (e.g. 1s, 500ms, 2m)");
            return defaultValue;
        },
    };
}
