using System.Globalization;

namespace Gopl.Tool.Tests;

/// <summary>
/// A command running on a real terminal: a detached tmux session of a given size whose screen a test
/// reads and types into. Each session has a tmux server of its own (<c>-S</c>, a socket removed at the end): on a shared server,
/// one test's last session ending takes the server down while another's new-session connects to it
/// ("server exited unexpectedly").
/// </summary>
public sealed class TmuxSession : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private TmuxSession(string name) => Name = name;

    public string Name { get; }

    private string Socket => SocketOf(Name);

    /// <summary>Starts <paramref name="shellCommand"/> (run by the shell) on a <paramref name="width"/> × <paramref name="height"/> terminal.</summary>
    public static async Task<TmuxSession> StartAsync(string shellCommand, int width = 100, int height = 20)
    {
        var name = "gopl-e2e-" + Guid.NewGuid().ToString("N")[..8];
        var start = await ProcessRunner.RunAsync("tmux",
            ["-S", SocketOf(name), "new-session", "-d", "-s", name, "-x", width.ToString(CultureInfo.InvariantCulture), "-y", height.ToString(CultureInfo.InvariantCulture), shellCommand], Timeout);
        Assert.True(start.ExitCode == 0, start.StandardError);
        return new TmuxSession(name);
    }

    /// <summary>The screen as text; with <paramref name="escapes"/>, with the escape sequences of its colours and attributes.</summary>
    public async Task<string> CaptureAsync(bool escapes = false)
    {
        string[] arguments = escapes ? ["-S", Socket, "capture-pane", "-p", "-e", "-t", Name] : ["-S", Socket, "capture-pane", "-p", "-t", Name];
        var capture = await ProcessRunner.RunAsync("tmux", arguments, Timeout);
        return capture.StandardOutput;
    }

    /// <summary>Reads the screen until <paramref name="condition"/> holds, or fails after a time limit.</summary>
    public async Task<string> CaptureUntilAsync(Func<string, bool> condition, bool escapes = false)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var screen = await CaptureAsync(escapes);
            if (condition(screen))
            {
                return screen;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException("the screen never showed what was expected:\n" + screen);
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Types <paramref name="keys"/> (tmux key names such as <c>Enter</c> or <c>C-c</c> when <paramref name="literal"/> is false).</summary>
    public async Task SendKeysAsync(string keys, bool literal = true)
    {
        string[] arguments = literal ? ["-S", Socket, "send-keys", "-t", Name, "-l", keys] : ["-S", Socket, "send-keys", "-t", Name, keys];
        var send = await ProcessRunner.RunAsync("tmux", arguments, Timeout);
        Assert.True(send.ExitCode == 0, send.StandardError);
    }

    public async Task ResizeAsync(int width, int height)
    {
        var resize = await ProcessRunner.RunAsync("tmux", ["-S", Socket, "resize-window", "-t", Name, "-x", width.ToString(CultureInfo.InvariantCulture), "-y", height.ToString(CultureInfo.InvariantCulture)], Timeout);
        Assert.True(resize.ExitCode == 0, resize.StandardError);
    }

    public async ValueTask DisposeAsync()
    {
        await ProcessRunner.RunAsync("tmux", ["-S", Socket, "kill-server"], Timeout);
        File.Delete(Socket);
    }

    private static string SocketOf(string name) => Path.Combine(Path.GetTempPath(), name + ".tmux");
}
