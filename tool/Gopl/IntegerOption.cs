using System.CommandLine;
using System.Globalization;

namespace Gopl;

/// <summary>Whole-number options with a range, reported as one line naming the option when out of it.</summary>
internal static class IntegerOption
{
    public static Option<int> Create(string name, int defaultValue, int minimum, int maximum, string description, params string[] aliases) =>
        new(name, aliases)
        {
            Description = description,
            HelpName = "N",
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
            {
                var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
                if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
                    && value >= minimum && value <= maximum)
                {
                    return value;
                }

                result.AddError($"{name}: '{text}' is not a whole number from {minimum} to {maximum}");
                return defaultValue;
            },
        };

    /// <summary>A TCP port to listen on: 0 to 65535, where 0 lets the system pick a free one.</summary>
    public static Option<int> Port(int defaultValue) =>
        Create("--port", defaultValue, 0, 65_535, "The TCP port to listen on; 0 picks a free one", "-p");
}
