using System.CommandLine;
using System.Threading.Channels;
using Gopl.Clockwall;
using GoplNet.Net;
using Microsoft.Extensions.Logging;

namespace Gopl;

/// <summary>
/// <c>gopl clockwall NAME=HOST:PORT...</c>: exercise 8.1's clock wall. One reconnecting
/// <see cref="LineClient"/> per clock feeds a channel; one loop applies the events and renders.
/// </summary>
internal static class ClockwallCommand
{
    private static readonly TimeSpan LiveRefresh = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LiveThrottle = TimeSpan.FromMilliseconds(100);

    public static Command Create()
    {
        var clocks = new Argument<string[]>("clock")
        {
            Description = "A clock as NAME=HOST:PORT, e.g. NewYork=localhost:8010 (one or more)",
            Arity = ArgumentArity.OneOrMore,
        };
        var json = new Option<bool>("--json")
        {
            Description = "Write one JSON object a second instead of the table",
        };
        var staleAfter = DurationOption.Create("--stale-after", TimeSpan.FromSeconds(3), "Mark a clock stale when its last line is older than this");

        var command = new Command("clockwall", "Show the times of several clock servers side by side, like the clocks on an office wall.")
        {
            clocks, json, staleAfter,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var wall = ParseClocks(parseResult.GetValue(clocks) ?? []);
            await using var stdout = StandardOutput.Open();
            WallRenderer renderer = parseResult.GetValue(json)
                ? new JsonWallRenderer(stdout)
                : Console.IsOutputRedirected
                    ? new PlainWallRenderer(new StreamWriter(stdout) { AutoFlush = true })
                    : new LiveWallRenderer(Console.Out, () => (Console.WindowWidth, Console.WindowHeight));
            using var loggerFactory = ToolLogging.CreateFactory(parseResult);
            return await RunAsync(wall, renderer, parseResult.GetValue(staleAfter).Value, loggerFactory, cancellationToken);
        });
        return command;
    }

    /// <summary>Renders until Ctrl+C or SIGTERM (exit 0), or until standard output's reader has gone (<see cref="ExitCodes.OutputClosed"/>).</summary>
    private static async Task<int> RunAsync(
        List<WallClock> wall, WallRenderer renderer, TimeSpan staleAfter, ILoggerFactory loggerFactory, CancellationToken shutdown)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        var cancellationToken = stop.Token;
        var exitCode = ExitCodes.Success;
        var time = TimeProvider.System;
        var events = Channel.CreateBounded<(int Clock, LineClientEvent Event)>(
            new BoundedChannelOptions(16 * 1024) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        var watchers = wall.Select((clock, index) => WatchAsync(index, clock, events.Writer, time, loggerFactory, cancellationToken)).ToArray();

        var nextRender = renderer.Continuous ? time.GetUtcNow() : NextHalfSecond(time.GetUtcNow());
        var lastRender = DateTimeOffset.MinValue;
        var dirty = false;
        Task<bool>? pendingRead = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            while (events.Reader.TryRead(out var item))
            {
                wall[item.Clock].Apply(item.Event);
                dirty = true;
            }

            var now = time.GetUtcNow();
            if (now >= nextRender || (renderer.Continuous && dirty && now - lastRender >= LiveThrottle))
            {
                try
                {
                    renderer.Render(wall, now, staleAfter);
                }
                catch (IOException)
                {
                    exitCode = ExitCodes.OutputClosed;
                    await stop.CancelAsync();
                    break;
                }

                lastRender = now;
                dirty = false;
                if (now >= nextRender)
                {
                    nextRender = renderer.Continuous ? now + LiveRefresh : NextHalfSecond(now);
                }
            }

            var wait = nextRender - now;
            if (renderer.Continuous && dirty)
            {
                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks, (LiveThrottle - (now - lastRender)).Ticks));
            }

            pendingRead ??= events.Reader.WaitToReadAsync(cancellationToken).AsTask();
            var delay = Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, time, cancellationToken);
            if (await Task.WhenAny(pendingRead, delay) == pendingRead)
            {
                pendingRead = null;
            }
        }

        if (exitCode == ExitCodes.Success)
        {
            renderer.Finish();
        }

        await Task.WhenAll(watchers);
        return exitCode;
    }

    /// <summary>Rows are written half-way through each second, when every clock has sent that second's line.</summary>
    private static DateTimeOffset NextHalfSecond(DateTimeOffset now)
    {
        var second = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var next = second.AddMilliseconds(500);
        return next > now ? next : next.AddSeconds(1);
    }

    private static async Task WatchAsync(
        int index, WallClock clock, ChannelWriter<(int, LineClientEvent)> writer, TimeProvider time, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        await using var client = new LineClient(clock.Address, new LineClientOptions(), time, loggerFactory.CreateLogger<LineClient>());
        try
        {
            await foreach (var e in client.WatchAsync(cancellationToken))
            {
                await writer.WriteAsync((index, e), cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The wall is closing.
        }
    }

    private static List<WallClock> ParseClocks(string[] arguments)
    {
        var clocks = new List<WallClock>();
        foreach (var argument in arguments)
        {
            var equals = argument.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                throw new UsageException($"clock: '{argument}' is not NAME=HOST:PORT");
            }

            var name = argument[..equals];
            if (name.Length == 0 || name.Any(char.IsWhiteSpace))
            {
                throw new UsageException($"clock: '{argument}' needs a name without spaces before '='");
            }

            HostPort address;
            try
            {
                address = HostPort.Parse(argument[(equals + 1)..]);
            }
            catch (FormatException e)
            {
                throw new UsageException($"clock: '{argument}' has no valid HOST:PORT after '=': {e.Message}");
            }

            if (clocks.Any(c => c.Name == name))
            {
                throw new UsageException($"clock: '{argument}' repeats the name '{name}'");
            }

            clocks.Add(new WallClock(name, address));
        }

        return clocks;
    }
}
