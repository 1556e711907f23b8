using System.CommandLine;

namespace Gopl;

/// <summary>`gopl clock`: not built yet; its issue fills it in.</summary>
internal static class ClockCommand
{
    public static Command Create()
    {
        var command = new Command("clock", "Serve the time of day to every client, one line a second (the book's clock server).");
        command.SetAction(async (_, _) =>
        {
            await Console.Error.WriteLineAsync("gopl clock: not built yet");
            return ExitCodes.RuntimeFailure;
        });
        return command;
    }
}
