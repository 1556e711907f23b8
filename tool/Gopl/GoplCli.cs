using System.CommandLine;
using System.Net.Sockets;

namespace Gopl;

/// <summary>
/// The `gopl` command line: parses, reports bad input with exit code 2, runs the chosen
/// subcommand and turns its failures into one line on standard error with exit code 1.
/// </summary>
internal static class GoplCli
{
    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand(
            "The network programs of \"The Go Programming Language\", chapter 8.2: clock, netcat, clockwall and ftp.")
        {
            GlobalOptions.Verbose,
            GlobalOptions.LogFormat,
            ClockCommand.Create(),
            NetcatCommand.Create(),
            ClockwallCommand.Create(),
            FtpCommand.Create(),
        };
        return root;
    }

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var root = CreateRootCommand();
        var parseResult = root.Parse(args);
        var verbose = parseResult.GetValue(GlobalOptions.Verbose);

        if (parseResult.Errors.Count > 0)
        {
            if (parseResult.CommandResult.Command == root && args.Length == 0)
            {
                await Console.Error.WriteLineAsync(
                    "gopl: a subcommand is required (clock, netcat, clockwall, ftp); see 'gopl --help'");
            }
            else
            {
                // An unrecognized token explains more than the "required command" error it causes.
                var error = parseResult.Errors.FirstOrDefault(
                    e => parseResult.UnmatchedTokens.Any(token => e.Message.Contains(token, StringComparison.Ordinal)))
                    ?? parseResult.Errors[0];
                await Console.Error.WriteLineAsync($"gopl: {error.Message}");
            }

            return ExitCodes.Usage;
        }

        var configuration = new InvocationConfiguration
        {
            // ShutdownSignal owns Ctrl+C and SIGTERM; the parser must not install handlers of its own.
            ProcessTerminationTimeout = null,
            EnableDefaultExceptionHandler = false,
        };

        try
        {
            return await parseResult.InvokeAsync(configuration, cancellationToken);
        }
        catch (UsageException e)
        {
            await Console.Error.WriteLineAsync($"gopl: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is SocketException or IOException or UnauthorizedAccessException or CommandFailedException)
        {
            await Console.Error.WriteLineAsync(verbose ? $"gopl: {e}" : $"gopl: {e.Message}");
            return ExitCodes.RuntimeFailure;
        }
        catch (Exception e)
        {
            // A bug, not a user error: still one line (the stack trace with --verbose), exit 1.
            await Console.Error.WriteLineAsync(verbose ? $"gopl: unexpected error: {e}" : $"gopl: unexpected error: {e.Message} (run with --verbose for details)");
            return ExitCodes.RuntimeFailure;
        }
    }
}
