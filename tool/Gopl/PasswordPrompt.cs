using System.Text;

namespace Gopl;

/// <summary>Reads a password: on a terminal at a prompt that does not echo it, typed twice; otherwise the first line of standard input, without a prompt.</summary>
internal static class PasswordPrompt
{
    /// <returns>The password, or <see langword="null"/> when the user pressed Ctrl+C at the prompt.</returns>
    public static async Task<string?> ReadAsync(CancellationToken cancellationToken)
    {
        if (Console.IsInputRedirected)
        {
            return await Console.In.ReadLineAsync(cancellationToken) ?? string.Empty;
        }

        // Ctrl+C comes as a key here: ShutdownSignal would cancel a token that ReadKey never looks at.
        Console.TreatControlCAsInput = true;
        var password = ReadHidden("Password: ");
        if (password is null || password.Length == 0)
        {
            return password;
        }

        var again = ReadHidden("Retype password: ");
        return again is null || again == password
            ? again
            : throw new UsageException("passwd: the two passwords differ");
    }

    private static string? ReadHidden(string prompt)
    {
        Console.Error.Write(prompt);
        var typed = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.C && key.Modifiers.HasFlag(ConsoleModifiers.Control))
            {
                Console.Error.WriteLine();
                return null;
            }

            if (key.Key == ConsoleKey.Enter)
            {
                Console.Error.WriteLine();
                return typed.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                typed.Length = Math.Max(0, typed.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                typed.Append(key.KeyChar);
            }
        }
    }
}
