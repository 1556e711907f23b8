namespace Gopl.Tool.Tests;

[Collection(InstalledToolGroup.Name)]
public sealed class RootCommandTests(InstalledTool tool)
{
    [Fact]
    public async Task Help_lists_every_subcommand_and_exits_0()
    {
        var result = await tool.RunAsync("--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var subcommand in new[] { "clock", "netcat", "clockwall", "ftp" })
        {
            Assert.Matches($@"(?m)^\s+{subcommand}\s", result.StandardOutput);
        }

        Assert.Equal(string.Empty, result.StandardError);
    }

    [Theory]
    [InlineData("clock", "--interval", "1s")]
    [InlineData("clockwall", "--stale-after", "3s")]
    [InlineData("ftp", "--idle-timeout", "5m0s")]
    public async Task Help_shows_duration_defaults_in_Go_syntax(string subcommand, string option, string shown)
    {
        var result = await tool.RunAsync(subcommand, "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches($@"(?m)^\s+{option} <duration>.*\(a Go duration: 1s, 500ms, 2m\) \[default: {shown}\]\s*$", result.StandardOutput);
    }

    [Fact]
    public async Task Version_prints_the_packed_version_alone()
    {
        var result = await tool.RunAsync("--version");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(tool.Version, result.StandardOutput.Trim());
    }

    [Fact]
    public async Task An_unknown_option_exits_2_with_one_line_naming_it()
    {
        var result = await tool.RunAsync("--frobnicate");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.StandardOutput);
        var line = Assert.Single(result.StandardError.TrimEnd('\n').Split('\n'));
        Assert.Contains("--frobnicate", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_subcommand_exits_2_with_one_line()
    {
        var result = await tool.RunAsync();

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.StandardError.TrimEnd('\n').Split('\n'));
        Assert.Contains("subcommand", line, StringComparison.Ordinal);
    }
}
