using System.Globalization;
using GoplNet.Time;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace GoplNet.Clock;

/// <summary>
/// Reads <see cref="ClockServerOptions"/> from a configuration section. Hand-written rather than
/// <c>ConfigurationBinder</c>: durations take Go's syntax (<c>500ms</c>) as well as a
/// <see cref="TimeSpan"/>, the zone is an IANA id, a misspelt key is an error rather than ignored,
/// and the library stays trimmable without a reflection-based binder. A value that cannot be read
/// becomes a validation failure naming its key (see <see cref="ClockServerOptionsValidator"/>).
/// </summary>
internal sealed class ClockServerConfiguration(string name, IConfiguration configuration) : IConfigureNamedOptions<ClockServerOptions>
{
    public void Configure(ClockServerOptions options) => Configure(Options.DefaultName, options);

    public void Configure(string? optionsName, ClockServerOptions options)
    {
        if ((optionsName ?? Options.DefaultName) == name)
        {
            Bind(configuration, options);
        }
    }

    public static void Bind(IConfiguration configuration, ClockServerOptions options)
    {
        foreach (var entry in configuration.GetChildren())
        {
            if (entry.Value is not { } value)
            {
                Fail(options, entry, "expected a value, found a section");
                continue;
            }

            switch (entry.Key.ToUpperInvariant())
            {
                case "HOST":
                    options.Host = value;
                    break;
                case "PORT":
                    Integer(options, entry, value, v => options.Port = v);
                    break;
                case "LAYOUT":
                    options.Layout = value;
                    break;
                case "TIMEZONE" or "TIMEZONEID":
                    options.TimeZoneId = value.Length == 0 ? null : value;
                    break;
                case "INTERVAL":
                    if (GoDuration.TryParseSetting(value, out var interval))
                    {
                        options.Interval = interval;
                    }
                    else
                    {
                        Fail(options, entry, $"'{value}' is not a duration (Go's 1s, 500ms, 1m30s, or 00:00:01)");
                    }

                    break;
                case "MODE":
                    if (Enum.TryParse<ClockServerMode>(value, ignoreCase: true, out var mode) && Enum.IsDefined(mode) && !int.TryParse(value, out _))
                    {
                        options.Mode = mode;
                    }
                    else
                    {
                        Fail(options, entry, $"'{value}' is not a mode (Concurrent or Sequential)");
                    }

                    break;
                case "MAXCLIENTS":
                    Integer(options, entry, value, v => options.MaxClients = v);
                    break;
                case "MAXUNSENTBYTESPERCLIENT":
                    Integer(options, entry, value, v => options.MaxUnsentBytesPerClient = v);
                    break;
                case "BACKLOG":
                    Integer(options, entry, value, v => options.Backlog = v);
                    break;
                default:
                    Fail(options, entry, "not a clock server option (Host, Port, Layout, TimeZone, Interval, Mode, MaxClients, MaxUnsentBytesPerClient, Backlog)");
                    break;
            }
        }
    }

    private static void Integer(ClockServerOptions options, IConfigurationSection entry, string value, Action<int> set)
    {
        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
        {
            set(number);
        }
        else
        {
            Fail(options, entry, $"'{value}' is not a whole number");
        }
    }

    private static void Fail(ClockServerOptions options, IConfigurationSection entry, string message) =>
        (options.ConfigurationErrors ??= []).Add($"{entry.Path}: {message}.");
}
