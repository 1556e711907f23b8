using GoplNet.Ftp.Authentication;

namespace GoplNet.Ftp.Protocol;

/// <summary>The server and the session's settings: FEAT, OPTS, HELP, STAT, SITE, TYPE, MODE, STRU.</summary>
internal sealed partial class FtpSession
{
    private static readonly string[] HelpLines = HelpTable();

    private bool _binary;

    /// <summary>Back to the defaults of RFC 959 (ASCII type) with no restart offset.</summary>
    private void ResetTransferParameters()
    {
        _binary = false;
        _restartOffset = 0;
    }

    /// <summary>FEAT (RFC 2389): every feature line the command table gives for this session, in table order.</summary>
    private Task FeaturesAsync()
    {
        var lines = Commands.Select(c => c.Feature?.Invoke(this)).OfType<string>().Distinct().Select(f => " " + f);
        return ReplyAsync(FtpReplyCode.SystemStatus, ["Features:", .. lines, "End"]);
    }

    /// <summary>OPTS (RFC 2389): UTF8 ON, MLST with the facts to show, HASH with the algorithm to use.</summary>
    private Task OptionsAsync(string argument)
    {
        var (command, options) = Split(argument.Trim());
        return command switch
        {
            "UTF8" or "UTF-8" when options.Trim().Equals("ON", StringComparison.OrdinalIgnoreCase) => ReplyAsync(FtpReplyCode.Okay, "Always in UTF8 mode."),
            "MLST" => SelectFactsAsync(options),
            "HASH" => SelectHashAsync(options),
            _ when Find(command) is null => ReplyAsync(FtpReplyCode.BadArguments, "Option not understood."),
            _ => ReplyAsync(FtpReplyCode.BadArguments, $"No options for {command}, or not these."),
        };
    }

    /// <summary>HELP: the table's verbs; HELP verb: its syntax; HELP SITE verb: a SITE command's syntax.</summary>
    private Task HelpAsync(string argument)
    {
        var (verb, rest) = Split(argument.Trim());
        if (verb.Length == 0)
        {
            return ReplyAsync(FtpReplyCode.Help, HelpLines);
        }

        var command = verb == "SITE" && rest.Length > 0 ? SiteByVerb.GetValueOrDefault(Split(rest).Verb) : Find(verb);
        return command is null
            ? ReplyAsync(FtpReplyCode.BadArguments, "Unknown command; HELP lists them.")
            : ReplyAsync(FtpReplyCode.Help, command.Handler is null ? $"Syntax: {command.Syntax} (not implemented)" : $"Syntax: {command.Syntax}");
    }

    private static string[] HelpTable()
    {
        var verbs = Commands.Where(c => c.Handler is not null).SelectMany(c => c.Aliases.Prepend(c.Verb)).Order(StringComparer.Ordinal).ToArray();
        var rows = verbs.Chunk(8).Select(row => " " + string.Join(' ', row.Select(v => v.PadRight(7))).TrimEnd());
        return ["The following commands are recognized.", .. rows, "Help OK."];
    }

    /// <summary>STAT: while data flows, the transfer's progress; otherwise the session, or a listing of a path over the control connection.</summary>
    private async Task StatusAsync(string argument)
    {
        if (!_transfer.IsCompleted && _activeTransfer is { } transfer)
        {
            await ReplyAsync(FtpReplyCode.FileStatus, $"{transfer.Describe()}: {transfer.Bytes} bytes so far.").ConfigureAwait(false);
            return;
        }

        if (string.IsNullOrWhiteSpace(argument))
        {
            await ReplyAsync(FtpReplyCode.SystemStatus,
            [
                "GoplNet FTP server status:",
                LoggedIn ? $"Logged in as {_account!.Name}" : "Not logged in",
                $"TYPE: {(_binary ? "BINARY" : "ASCII")}, STRUcture: File, MODE: Stream",
                _controlProtected ? $"Control connection protected; data connections {(_protectData ? "protected" : "in the clear")}" : "Control connection in the clear",
                _data is null ? "No data connection" : "Data connection ready",
                "End of status",
            ]).ConfigureAwait(false);
            return;
        }

        var listing = (_permissions & FtpPermissions.List) == 0 ? null : await ListingAsync(ListingTarget(argument), FtpListingKind.Long).ConfigureAwait(false);
        if (listing is null)
        {
            await ReplyAsync(FtpReplyCode.FileUnavailable, "No such file or directory.").ConfigureAwait(false);
            return;
        }

        await ReplyAsync(FtpReplyCode.FileStatus, ["Status follows:", .. listing.Split("\r\n", StringSplitOptions.RemoveEmptyEntries), "End of status"]).ConfigureAwait(false);
    }

    /// <summary>SITE: a command of its own table, with the same argument and permission rules as the main one.</summary>
    private async Task SiteAsync(string argument)
    {
        var (verb, rest) = Split(argument.Trim());
        if (SiteByVerb.GetValueOrDefault(verb) is not { Handler: { } handler } command)
        {
            await ReplyAsync(FtpReplyCode.UnknownCommand, "Unknown SITE command; SITE HELP lists them.").ConfigureAwait(false);
            return;
        }

        if (command.ArgumentIsWrong(rest))
        {
            await ReplyAsync(FtpReplyCode.BadArguments, $"Syntax: {command.Syntax}").ConfigureAwait(false);
            return;
        }

        if ((command.Permission & ~_permissions) != 0)
        {
            await ReplyAsync(FtpReplyCode.FileUnavailable, PermissionDenied).ConfigureAwait(false);
            return;
        }

        await handler(this, rest).ConfigureAwait(false);
    }

    private Task SiteHelpAsync() =>
        ReplyAsync(FtpReplyCode.Help, ["SITE commands:", .. SiteCommands.Select(c => " " + c.Syntax), "End of SITE HELP."]);

    /// <summary>TYPE: A (or A N) converts line ends; I and L 8 are binary; any other type or format is 504.</summary>
    private Task TypeAsync(string argument)
    {
        var words = argument.Trim().ToUpperInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        switch (words)
        {
            case ["A"] or ["A", "N"]:
                _binary = false;
                return ReplyAsync(FtpReplyCode.Okay, "Switching to ASCII mode.");
            case ["I"] or ["L", "8"]:
                _binary = true;
                return ReplyAsync(FtpReplyCode.Okay, "Switching to Binary mode.");
            default:
                return ReplyAsync(FtpReplyCode.ParameterNotImplemented, "Type not supported; TYPE A and TYPE I are.");
        }
    }

    private Task ModeAsync(string argument) => argument.Trim().ToUpperInvariant() switch
    {
        "S" => ReplyAsync(FtpReplyCode.Okay, "Mode set to S."),
        "B" or "C" => ReplyAsync(FtpReplyCode.ParameterNotImplemented, "Only stream mode is supported."),
        _ => ReplyAsync(FtpReplyCode.BadArguments, "Unrecognised MODE."),
    };

    private Task StructureAsync(string argument) => argument.Trim().ToUpperInvariant() switch
    {
        "F" => ReplyAsync(FtpReplyCode.Okay, "Structure set to F."),
        "R" or "P" => ReplyAsync(FtpReplyCode.ParameterNotImplemented, "Only file structure is supported."),
        _ => ReplyAsync(FtpReplyCode.BadArguments, "Unrecognised STRU."),
    };
}
