using System.Globalization;
using GoplNet.Time;
using Microsoft.Extensions.Options;

namespace GoplNet.Net;

/// <summary>Checks <see cref="LineClientOptions"/> once, with one message per bad setting.</summary>
internal sealed class LineClientOptionsValidator : IValidateOptions<LineClientOptions>
{
    public ValidateOptionsResult Validate(string? name, LineClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = Failures(options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>What is wrong with <paramref name="options"/>, one message per setting; empty when nothing is.</summary>
    public static List<string> Failures(LineClientOptions options)
    {
        var failures = new List<string>(options.BindingErrors ?? []);
        if (options.ConnectTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{nameof(LineClientOptions.ConnectTimeout)} must be more than zero (it is {GoDuration.Format(options.ConnectTimeout)}).");
        }

        if (options.MaxLineLength < 1)
        {
            failures.Add($"{nameof(LineClientOptions.MaxLineLength)} must be at least 1 (it is {options.MaxLineLength.ToString(CultureInfo.InvariantCulture)}).");
        }

        if (LineClientEncoding.Find(options.EncodingName) is null)
        {
            failures.Add($"{nameof(LineClientOptions.EncodingName)} '{options.EncodingName}' is not an encoding this runtime knows (utf-8, latin1, us-ascii, utf-16...).");
        }

        if (options.ReconnectDelay <= TimeSpan.Zero)
        {
            failures.Add($"{nameof(LineClientOptions.ReconnectDelay)} must be more than zero (it is {GoDuration.Format(options.ReconnectDelay)}).");
        }

        if (options.MaxReconnectDelay < options.ReconnectDelay)
        {
            failures.Add($"{nameof(LineClientOptions.MaxReconnectDelay)} must be at least {nameof(LineClientOptions.ReconnectDelay)} ({GoDuration.Format(options.MaxReconnectDelay)} < {GoDuration.Format(options.ReconnectDelay)}).");
        }

        if (options.ReconnectJitter is not (>= 0 and <= 1))
        {
            failures.Add($"{nameof(LineClientOptions.ReconnectJitter)} must be from 0 to 1 (it is {options.ReconnectJitter.ToString(CultureInfo.InvariantCulture)}).");
        }

        return failures;
    }
}
