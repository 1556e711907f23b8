using System.CommandLine;

namespace Gopl;

/// <summary>`gopl netcat`: not built yet; its issue fills it in.</summary>
internal static class NetcatCommand
{
    public static Command Create()
    {
        var command = new Command("netcat", "Copy standard input to a TCP connection and the connection to standard output.");
        command.SetAction(async (_, _) =>
        {
            await Console.Error.WriteLineAsync("gopl netcat: not built yet");
            return ExitCodes.RuntimeFailure;
        });
        return command;
    }
}
