using System.CommandLine;
using GoplNet.Clock;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gopl;

/// <summary><c>gopl clock</c>: the book's clock server (clock1, clock2 and exercise 8.1's <c>-port</c>).</summary>
internal static class ClockCommand
{
    public static Command Create()
    {
        var host = new Option<string>("--host")
        {
            Description = "The address to listen on: localhost (127.0.0.1), an IP address, a name, or * for every interface",
            HelpName = "HOST",
            DefaultValueFactory = _ => "localhost",
        };
        var port = IntegerOption.Port(8000);
        var format = new Option<string>("--format", "-f")
        {
            Description = "The Go layout of each line, e.g. \"15:04:05\" or \"Mon Jan 2 15:04:05 MST 2006\"",
            HelpName = "LAYOUT",
            DefaultValueFactory = _ => "15:04:05",
        };
        var zone = new Option<string?>("--tz")
        {
            Description = "The IANA time zone to show, e.g. Asia/Tokyo (default: the local zone, which honours TZ)",
            HelpName = "ZONE",
        };
        var interval = DurationOption.Create("--interval", TimeSpan.FromSeconds(1), "Time between lines, aligned to wall-clock boundaries");
        var sequential = new Option<bool>("--sequential")
        {
            Description = "Serve one client at a time, as the book's clock1 does; the others wait",
        };
        var maxClients = IntegerOption.Create("--max-clients", 65_536, 1, int.MaxValue, "Most clients at once; more are closed at once");

        var command = new Command("clock", "Serve the time of day to every client, one line a second (the book's clock server).")
        {
            host, port, format, zone, interval, sequential, maxClients,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var layout = parseResult.GetValue(format)!;
            if (layout.Length == 0)
            {
                throw new UsageException("--format: the layout must not be empty");
            }

            var options = new ClockServerOptions
            {
                Host = parseResult.GetValue(host)!,
                Port = parseResult.GetValue(port),
                Layout = layout,
                TimeZone = FindZone(parseResult.GetValue(zone)),
                Interval = parseResult.GetValue(interval).Value,
                Mode = parseResult.GetValue(sequential) ? ClockServerMode.Sequential : ClockServerMode.Concurrent,
                MaxClients = parseResult.GetValue(maxClients),
            };

            using var loggerFactory = ToolLogging.CreateFactory(parseResult);
            await using var server = new ClockServer(Options.Create(options), TimeProvider.System, loggerFactory.CreateLogger<ClockServer>());
            await ServerRunner.StartAsync(server.StartAsync, "clock", options.Host, options.Port, cancellationToken);
            return await ServerRunner.RunUntilStoppedAsync(server.StopAsync, cancellationToken);
        });
        return command;
    }

    private static TimeZoneInfo? FindZone(string? id)
    {
        if (id is null)
        {
            return null;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            throw new UsageException($"--tz: unknown time zone '{id}'");
        }
    }
}
