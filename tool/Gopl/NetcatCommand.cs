using System.CommandLine;
using GoplNet.Net;
using Microsoft.Extensions.Logging;

namespace Gopl;

/// <summary>
/// <c>gopl netcat</c>: the book's netcat3. Standard input goes to the connection and the
/// connection to standard output, byte for byte; at the end of standard input only the sending
/// side is shut down, so the server's last replies still arrive. <c>--read-only</c> is netcat1.
/// </summary>
internal static class NetcatCommand
{
    public static Command Create()
    {
        var address = new Argument<string[]>("address")
        {
            Description = "The server as host:port, or host and port as two arguments (default localhost:8000)",
            Arity = new ArgumentArity(0, 2),
        };
        var readOnly = new Option<bool>("--read-only")
        {
            Description = "Only print what the server sends; never read standard input (the book's netcat1)",
        };
        var timeout = IntegerOption.Create("--timeout", 10, 1, 3600, "Seconds to wait for the connection", "-w");
        var verbose = new Option<bool>("-v")
        {
            Description = "Report the connection on standard error",
        };

        var command = new Command("netcat", "Copy standard input to a TCP connection and the connection to standard output.")
        {
            address, readOnly, timeout, verbose,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var target = ParseAddress(parseResult.GetValue(address) ?? []);
            var options = new LineClientOptions { ConnectTimeout = TimeSpan.FromSeconds(parseResult.GetValue(timeout)) };
            using var loggerFactory = ToolLogging.CreateFactory(parseResult);
            await using var client = new LineClient(target, options, TimeProvider.System, loggerFactory.CreateLogger<LineClient>());
            try
            {
                await client.ConnectAsync(cancellationToken);
            }
            catch (LineClientException e)
            {
                throw new CommandFailedException($"netcat: cannot connect to {target}: {e.Message}", e);
            }

            if (parseResult.GetValue(verbose))
            {
                await Console.Error.WriteLineAsync($"netcat: connected to {target}");
            }

            await using var stdout = StandardOutput.Open();
            var receiving = client.CopyToAsync(stdout, cancellationToken);
            if (!parseResult.GetValue(readOnly))
            {
                // Not awaited on its own: the command ends when the server closes, whether or not input has ended.
                _ = SendStandardInputAsync(client, cancellationToken);
            }

            try
            {
                await receiving;
            }
            catch (LineClientException e)
            {
                throw new CommandFailedException($"netcat: connection to {target} failed: {e.Message}", e);
            }
            catch (IOException)
            {
                // Only standard output raises it here (the connection's failures are LineClientExceptions): the reader has gone.
                return ExitCodes.OutputClosed;
            }

            if (parseResult.GetValue(verbose))
            {
                await Console.Error.WriteLineAsync($"netcat: {target} closed the connection");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task SendStandardInputAsync(LineClient client, CancellationToken cancellationToken)
    {
        try
        {
            await using var stdin = Console.OpenStandardInput();
            await client.CopyFromAsync(stdin, cancellationToken);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // LineClientException is an IOException too. The server went away while input was still coming: the receiving side reports it.
        }
    }

    private static HostPort ParseAddress(string[] words)
    {
        var text = words.Length switch
        {
            0 => "localhost:8000",
            1 => words[0],
            _ => $"{(words[0].Contains(':', StringComparison.Ordinal) ? $"[{words[0]}]" : words[0])}:{words[1]}",
        };
        try
        {
            return HostPort.Parse(text);
        }
        catch (FormatException e)
        {
            throw new UsageException($"address: {e.Message}");
        }
    }
}
