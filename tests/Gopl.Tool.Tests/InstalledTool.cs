namespace Gopl.Tool.Tests;

/// <summary>
/// Packs the tool with a unique version into a temporary feed, installs it with
/// <c>dotnet tool install</c> into a temporary tool path and runs it as a user would.
/// Built once for all the tests of the assembly.
/// </summary>
public sealed class InstalledTool : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "gopl-e2e-" + Guid.NewGuid().ToString("N"));

    public string Version { get; } = $"0.0.0-e2e.{DateTime.UtcNow:yyyyMMddHHmmss}";

    public string ExecutablePath => Path.Combine(_root, "tools", "gopl");

    public async Task InitializeAsync()
    {
        var repository = RepositoryRoot();
        var feed = Path.Combine(_root, "feed");

        // A separate artifacts path keeps this build away from the one the test run uses.
        var pack = await ProcessRunner.RunAsync(
            "dotnet",
            ["pack", Path.Combine(repository, "tool", "Gopl", "Gopl.csproj"), "-c", "Release",
             "--artifacts-path", Path.Combine(_root, "build"), "-o", feed, $"-p:MinVerVersionOverride={Version}", "-nologo"],
            TimeSpan.FromMinutes(4));
        Assert.True(pack.ExitCode == 0, $"dotnet pack failed:\n{pack.StandardOutput}\n{pack.StandardError}");
        Assert.True(File.Exists(Path.Combine(feed, $"gopl.{Version}.nupkg")), "the tool package is missing");

        var install = await ProcessRunner.RunAsync(
            "dotnet",
            ["tool", "install", "gopl", "--tool-path", Path.Combine(_root, "tools"),
             "--add-source", feed, "--version", Version],
            TimeSpan.FromMinutes(3));
        Assert.True(install.ExitCode == 0, $"dotnet tool install failed:\n{install.StandardOutput}\n{install.StandardError}");
    }

    /// <summary>Runs the installed <c>gopl</c> to completion.</summary>
    public Task<ProcessResult> RunAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(ExecutablePath, arguments, TimeSpan.FromSeconds(60));

    /// <summary>Starts the installed <c>gopl</c> and leaves it running.</summary>
    public RunningProcess Start(params string[] arguments) => RunningProcess.Start(ExecutablePath, arguments);

    /// <summary>Starts the installed <c>gopl</c> with extra environment variables.</summary>
    public RunningProcess Start(string[] arguments, IReadOnlyDictionary<string, string> environment) =>
        RunningProcess.Start(ExecutablePath, arguments, environment);

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is harmless.
        }

        return Task.CompletedTask;
    }

    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "GoplNet.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("GoplNet.sln not found above " + AppContext.BaseDirectory);
    }
}

[CollectionDefinition(Name)]
public sealed class InstalledToolGroup : ICollectionFixture<InstalledTool>
{
    public const string Name = "installed gopl";
}
