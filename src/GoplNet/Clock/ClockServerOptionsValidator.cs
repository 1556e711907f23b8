using Microsoft.Extensions.Options;

namespace GoplNet.Clock;

/// <summary>
/// Checks <see cref="ClockServerOptions"/>: one message per bad field, naming it. The
/// <see cref="ClockServer"/> constructor runs it, and the <c>AddClockServer</c> registrations
/// run it when the host starts (<c>ValidateOnStart</c>), so a bad configuration stops the host
/// before any server binds.
/// </summary>
public sealed class ClockServerOptionsValidator : IValidateOptions<ClockServerOptions>
{
    /// <summary>Checks <paramref name="options"/>.</summary>
    /// <param name="name">The options' name (the server's, for a named registration); not used.</param>
    /// <param name="options">The options to check.</param>
    /// <returns>Success, or a failure with one message per bad field.</returns>
    public ValidateOptionsResult Validate(string? name, ClockServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.ConfigurationErrors is { } errors)
        {
            failures.AddRange(errors);
        }

        if (options.Host is null)
        {
            failures.Add("Host must not be null (\"localhost\", an address, a name, or \"*\" for every interface).");
        }

        if (options.Port is < 0 or > 65_535)
        {
            failures.Add($"Port must be from 0 to 65535 (was {options.Port}).");
        }

        if (string.IsNullOrEmpty(options.Layout))
        {
            failures.Add("Layout must not be empty.");
        }

        if (options.TimeZone is not null && options.TimeZoneId is not null)
        {
            failures.Add("TimeZone and TimeZoneId are both set: set one.");
        }
        else if (options.TimeZoneId is { } id && !TryFindZone(id, out _))
        {
            failures.Add($"TimeZoneId: no time zone '{id}' (an IANA id such as Asia/Tokyo, or UTC).");
        }

        if (options.Interval <= TimeSpan.Zero)
        {
            failures.Add($"Interval must be positive (was {options.Interval}).");
        }

        if (!Enum.IsDefined(options.Mode))
        {
            failures.Add($"Mode must be Concurrent or Sequential (was {(int)options.Mode}).");
        }

        AtLeastOne(failures, nameof(options.MaxClients), options.MaxClients);
        AtLeastOne(failures, nameof(options.MaxUnsentBytesPerClient), options.MaxUnsentBytesPerClient);
        AtLeastOne(failures, nameof(options.Backlog), options.Backlog);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Finds a zone by IANA id (Windows ids work where the system has them).</summary>
    internal static bool TryFindZone(string id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TimeZoneInfo? zone)
    {
        zone = null;
        return id.Length > 0 && TimeZoneInfo.TryFindSystemTimeZoneById(id, out zone);
    }

    private static void AtLeastOne(List<string> failures, string name, int value)
    {
        if (value < 1)
        {
            failures.Add($"{name} must be at least 1 (was {value}).");
        }
    }
}
