using System.Diagnostics;

namespace Gopl.Tool.Tests;

/// <summary>What a finished process left behind.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError);

/// <summary>Runs a program to completion with a time limit.</summary>
public static class ProcessRunner
{
    public static async Task<ProcessResult> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout)
    {
        await using var process = RunningProcess.Start(fileName, arguments);
        process.CloseStandardInput();
        var exitCode = await process.WaitForExitAsync(timeout);
        return new ProcessResult(exitCode, process.StandardOutput, process.StandardError);
    }

    /// <summary>Writes <paramref name="script"/> to <c>client.py</c> in <paramref name="directory"/> and runs it with python3.</summary>
    public static async Task<ProcessResult> RunPythonAsync(string directory, string script, TimeSpan timeout)
    {
        var path = Path.Combine(directory, "client.py");
        await File.WriteAllTextAsync(path, script);
        return await RunAsync("python3", [path], timeout);
    }
}

/// <summary>
/// A started program whose output is collected as it arrives, so a test can wait for a line
/// (with a time limit) while the program keeps running.
/// </summary>
public sealed class RunningProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _stdout = new();
    private readonly System.Text.StringBuilder _stderr = new();
    private readonly Task _stdoutPump;
    private readonly Task _stderrPump;

    private RunningProcess(Process process)
    {
        _process = process;
        _stdoutPump = PumpAsync(process.StandardOutput, _stdout);
        _stderrPump = PumpAsync(process.StandardError, _stderr);
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string StandardOutput
    {
        get { lock (_stdout) { return _stdout.ToString(); } }
    }

    public string StandardError
    {
        get { lock (_stderr) { return _stderr.ToString(); } }
    }

    public StreamWriter StandardInput => _process.StandardInput;

    public static RunningProcess Start(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // The tool's own diagnostics must not depend on the machine's telemetry prompt or colours.
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }
        return new RunningProcess(Process.Start(info) ?? throw new InvalidOperationException("could not start " + fileName));
    }

    public void CloseStandardInput() => _process.StandardInput.Close();

    /// <summary>Waits until standard error contains <paramref name="text"/>, or fails after <paramref name="timeout"/>.</summary>
    public Task WaitForStandardErrorAsync(string text, TimeSpan timeout) =>
        WaitForAsync(() => StandardError.Contains(text, StringComparison.Ordinal), $"stderr to contain '{text}'", timeout);

    /// <summary>Waits until standard output contains <paramref name="text"/>, or fails after <paramref name="timeout"/>.</summary>
    public Task WaitForStandardOutputAsync(string text, TimeSpan timeout) =>
        WaitForAsync(() => StandardOutput.Contains(text, StringComparison.Ordinal), $"stdout to contain '{text}'", timeout);

    public async Task WaitForAsync(Func<bool> condition, string what, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (!condition())
        {
            if (_process.HasExited && !condition())
            {
                await Task.WhenAll(_stdoutPump, _stderrPump);
                if (condition())
                {
                    return;
                }

                throw new Xunit.Sdk.XunitException(
                    $"process exited ({_process.ExitCode}) before {what}.\nstdout: {StandardOutput}\nstderr: {StandardError}");
            }

            try
            {
                await Task.Delay(20, cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new Xunit.Sdk.XunitException(
                    $"timed out after {timeout} waiting for {what}.\nstdout: {StandardOutput}\nstderr: {StandardError}");
            }
        }
    }

    /// <summary>Sends a POSIX signal (SIGINT, SIGTERM) to the process.</summary>
    public void Signal(int signal)
    {
        if (Kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed");
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException(
                $"process did not exit within {timeout}.\nstdout: {StandardOutput}\nstderr: {StandardError}");
        }

        await Task.WhenAll(_stdoutPump, _stderrPump);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static async Task PumpAsync(StreamReader reader, System.Text.StringBuilder sink)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            lock (sink)
            {
                sink.Append(buffer, 0, read);
            }
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
