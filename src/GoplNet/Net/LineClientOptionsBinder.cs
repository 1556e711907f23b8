using System.Globalization;
using GoplNet.Time;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace GoplNet.Net;

/// <summary>
/// Reads <see cref="LineClientOptions"/> from a configuration section without reflection (the
/// library is trimmable): durations as <c>00:00:10</c> or Go's <c>10s</c>, numbers in the invariant
/// culture. A value that cannot be read is kept for the validation to report with the others.
/// </summary>
internal sealed class LineClientOptionsBinder(IConfiguration configuration) : IConfigureOptions<LineClientOptions>
{
    public void Configure(LineClientOptions options)
    {
        var errors = new List<string>();
        options.ConnectTimeout = Duration(nameof(LineClientOptions.ConnectTimeout), options.ConnectTimeout, errors);
        options.MaxLineLength = Integer(nameof(LineClientOptions.MaxLineLength), options.MaxLineLength, errors);
        options.EncodingName = configuration[nameof(LineClientOptions.EncodingName)] ?? options.EncodingName;
        options.ReconnectDelay = Duration(nameof(LineClientOptions.ReconnectDelay), options.ReconnectDelay, errors);
        options.MaxReconnectDelay = Duration(nameof(LineClientOptions.MaxReconnectDelay), options.MaxReconnectDelay, errors);
        options.ReconnectJitter = Fraction(nameof(LineClientOptions.ReconnectJitter), options.ReconnectJitter, errors);
        if (errors.Count > 0)
        {
            options.BindingErrors = errors;
        }
    }

    private delegate bool Parser<T>(string text, out T value);

    private TimeSpan Duration(string key, TimeSpan current, List<string> errors) => Read(
        key, current, GoDuration.TryParseSetting,
        "a duration (as 00:00:10, or Go's 10s, 500ms, 1m30s)", errors);

    private int Integer(string key, int current, List<string> errors) => Read(
        key, current, (string text, out int value) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value),
        "a whole number", errors);

    private double Fraction(string key, double current, List<string> errors) => Read(
        key, current, (string text, out double value) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value),
        "a number (as 0.2)", errors);

    /// <summary>The value under <paramref name="key"/>, or <paramref name="current"/> when there is none or it cannot be read (noted in <paramref name="errors"/>).</summary>
    private T Read<T>(string key, T current, Parser<T> parse, string expected, List<string> errors)
    {
        if (configuration[key] is not { Length: > 0 } text)
        {
            return current;
        }

        if (parse(text, out var value))
        {
            return value;
        }

        errors.Add($"{key} '{text}' is not {expected}.");
        return current;
    }
}
