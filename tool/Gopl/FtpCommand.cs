using System.CommandLine;

namespace Gopl;

/// <summary>`gopl ftp`: not built yet; its issue fills it in.</summary>
internal static class FtpCommand
{
    public static Command Create()
    {
        var command = new Command("ftp", "Serve a directory over FTP to standard clients (ftp, curl, lftp).");
        command.SetAction(async (_, _) =>
        {
            await Console.Error.WriteLineAsync("gopl ftp: not built yet");
            return ExitCodes.RuntimeFailure;
        });
        return command;
    }
}
