using System.Text;
using GoplNet.Ftp.Authentication;
using GoplNet.Ftp.Protocol;

namespace GoplNet.Tests.Ftp;

/// <summary>The command table is what the README lists: every verb, its syntax, its RFC and its rules.</summary>
public sealed class FtpCommandTableTests
{
    private const string Start = "<!-- ftp-commands:start -->";
    private const string End = "<!-- ftp-commands:end -->";

    [Fact]
    public void The_README_lists_every_command_of_the_table()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var from = readme.IndexOf(Start, StringComparison.Ordinal);
        var to = readme.IndexOf(End, StringComparison.Ordinal);
        Assert.True(from >= 0 && to > from, $"README.md has no section between {Start} and {End}");

        var listed = readme[(from + Start.Length)..to].Trim('\n');
        var expected = Table();
        Assert.True(listed == expected, $"README.md's FTP command table differs from the command table; it should read:\n{expected}");
    }

    [Fact]
    public void Every_verb_and_alias_is_in_the_table_once()
    {
        var verbs = FtpSession.Commands.SelectMany(c => c.Aliases.Prepend(c.Verb)).ToList();

        Assert.Equal(verbs.Count, verbs.Distinct(StringComparer.Ordinal).Count());
        Assert.All(verbs, v => Assert.Same(FtpSession.Commands.Single(c => c.Verb == v || c.Aliases.Contains(v)), FtpSession.Find(v)));
    }

    /// <summary>The README's table, made from the command table.</summary>
    private static string Table()
    {
        var table = new StringBuilder();
        table.Append("| command | syntax | defined in | before login | while a transfer runs | permission needed |\n");
        table.Append("| --- | --- | --- | --- | --- | --- |\n");
        foreach (var command in FtpSession.Commands.Concat(FtpSession.SiteCommands.Select(c => c with { Verb = "SITE " + c.Verb })))
        {
            var names = string.Join(", ", command.Aliases.Prepend(command.Verb).Select(v => $"`{v}`"));
            var syntax = command.Handler is null ? "not implemented (502)" : $"`{command.Syntax.Replace("|", "\\|", StringComparison.Ordinal)}`";
            table.Append(FormattableString.Invariant($"| {names} | {syntax} | {command.Specification} | {(command.AllowedBeforeLogin ? "yes" : "530")} | {(command.Urgent ? "acted on at once, ahead of waiting commands" : command.AnsweredDuringTransfer ? "answered at once" : "waits for it")} | {(command.Permission == FtpPermissions.None ? "none" : $"`{command.Permission}`")} |\n"));
        }

        return table.ToString().TrimEnd('\n');
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "GoplNet.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("GoplNet.sln not found above the test directory");
    }
}
