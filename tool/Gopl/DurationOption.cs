using System.CommandLine;
using GoplNet.Time;

namespace Gopl;

/// <summary>Options that take a duration in Go's syntax (<c>1s</c>, <c>500ms</c>, <c>2m</c>), as the book's programs do.</summary>
internal static class DurationOption
{
    public static Option<Duration> Create(string name, TimeSpan defaultValue, string description) => new(name)
    {
        Description = $"{description} (a Go duration: 1s, 500ms, 2m)",
        HelpName = "DURATION",
        DefaultValueFactory = _ => new Duration(defaultValue),
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            if (GoDuration.TryParse(text, out var value) && value > TimeSpan.Zero)
            {
                return new Duration(value);
            }

            result.AddError($"{name}: '{text}' is not a positive Go duration (e.g. 1s, 500ms, 2m)");
            return new Duration(defaultValue);
        },
    };

    /// <summary>A parsed duration; help shows its default as Go writes it (<c>5m0s</c>), not as a <see cref="TimeSpan"/>.</summary>
    internal readonly record struct Duration(TimeSpan Value)
    {
        public override string ToString() => GoDuration.Format(Value);
    }
}
