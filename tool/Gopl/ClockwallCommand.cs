using System.CommandLine;

namespace Gopl;

/// <summary>`gopl clockwall`: not built yet; its issue fills it in.</summary>
internal static class ClockwallCommand
{
    public static Command Create()
    {
        var command = new Command("clockwall", "Show the times of several clock servers side by side, like the clocks on an office wall.");
        command.SetAction(async (_, _) =>
        {
            await Console.Error.WriteLineAsync("gopl clockwall: not built yet");
            return ExitCodes.RuntimeFailure;
        });
        return command;
    }
}
