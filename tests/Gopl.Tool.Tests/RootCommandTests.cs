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
        Assert.Matches($@"(?m)^\s+{option} <DURATION>.*\(a Go duration: 1s, 500ms, 2m\) \[default: {shown}\]\s*$", result.StandardOutput);
    }

    [Theory]
    [InlineData("clock")]
    [InlineData("netcat")]
    [InlineData("clockwall")]
    [InlineData("ftp")]
    [InlineData("ftp", "passwd")]
    public async Task Help_shows_each_default_once_and_whole_numbers_as_N(params string[] subcommand)
    {
        var result = await tool.RunAsync([.. subcommand, "--help"]);

        Assert.Equal(0, result.ExitCode);
        var lines = result.StandardOutput.Split('\n');
        Assert.All(lines, l => Assert.True(System.Text.RegularExpressions.Regex.Count(l, "default", System.Text.RegularExpressions.RegexOptions.IgnoreCase) <= 1, l));
        Assert.DoesNotContain(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\s+(-\w, )?--(port|timeout|max-clients|max-sessions|max-sessions-per-address) <(?!N>)"));
    }

    [Fact]
    public async Task Help_shows_roots_default_as_the_current_directory_and_optional_arguments_in_brackets()
    {
        var ftp = await tool.RunAsync("ftp", "--help");
        var root = Assert.Single(ftp.StandardOutput.Split('\n'), l => l.TrimStart().StartsWith("--root", StringComparison.Ordinal));
        Assert.Matches(@"^\s+--root <DIR>\s+The directory clients see as / \(default: the current directory\)$", root);

        var netcat = await tool.RunAsync("netcat", "--help");
        Assert.Contains("gopl netcat [<address>...] [options]", netcat.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gopl ", "clock", "clockwall", "ftp", "netcat", "--help", "--version")]
    [InlineData("gopl clock --p", "--port")]
    [InlineData("gopl ftp ", "passwd", "--users-file", "--tls-cert", "--log-format", "--verbose")]
    public async Task The_suggest_directive_answers_subcommands_and_options(string line, params string[] expected)
    {
        var result = await tool.RunAsync($"[suggest:{line.Length}]", line);

        Assert.Equal(0, result.ExitCode);
        var suggestions = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(expected, e => Assert.Contains(e, suggestions));
        Assert.All(suggestions, s => Assert.Contains(line.Split(' ')[^1].TrimStart('-'), s, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("gopl cl", "clock", "clockwall")]
    [InlineData("gopl clock --in", "--interval")]
    [InlineData("gopl ftp pa", "passwd")]
    public async Task The_READMEs_bash_completion_completes_subcommands_and_options(string line, params string[] expected)
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(InstalledTool.RepositoryRoot(), "README.md"));
        var snippet = System.Text.RegularExpressions.Regex.Match(readme, @"```bash\n(# ~/\.bashrc\n.*?)```", System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value;
        Assert.Contains("complete ", snippet, StringComparison.Ordinal);
        var words = line.Split(' ');
        var script = $$"""
            PATH='{{Path.GetDirectoryName(tool.ExecutablePath)}}':"$PATH"
            {{snippet}}
            COMP_LINE='{{line}}'; COMP_POINT={{line.Length}}; COMP_WORDS=({{string.Join(' ', words)}}); COMP_CWORD={{words.Length - 1}}
            _gopl_complete gopl '{{words[^1]}}' '{{words[^2]}}'
            printf '%s\n' "${COMPREPLY[@]}"
            """;

        var result = await ProcessRunner.RunAsync("bash", ["-c", script], TimeSpan.FromSeconds(30));

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(expected, result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
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
