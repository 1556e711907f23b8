using System.Text;

namespace GoplNet.Ftp.Protocol;

/// <summary>What a listing shows.</summary>
internal enum FtpListingKind
{
    /// <summary>LIST: <c>ls -l</c> lines.</summary>
    Long,

    /// <summary>NLST: names.</summary>
    Names,

    /// <summary>MLSD: RFC 3659 facts.</summary>
    Facts,
}

/// <summary>Listings: LIST, NLST, MLSD, MLST and the facts OPTS MLST selects.</summary>
internal sealed partial class FtpSession
{
    private FtpFacts _facts = FtpFacts.All;

    /// <summary>The FEAT line of MLST: every fact offered, the selected ones marked with <c>*</c>.</summary>
    private string MachineListFeature => "MLST " + FtpListing.DescribeFacts(FtpFacts.All, _facts, marked: true);

    private void ResetListingOptions() => _facts = FtpFacts.All;

    /// <summary>OPTS MLST fact;fact;: shows those facts from now on (unknown names are ignored, RFC 3659); none at all shows names alone.</summary>
    private Task SelectFactsAsync(string argument)
    {
        _facts = FtpListing.ParseFacts(argument.Trim());
        var selected = FtpListing.DescribeFacts(_facts, _facts, marked: false);
        return ReplyAsync(FtpReplyCode.Okay, selected.Length == 0 ? "MLST OPTS" : $"MLST OPTS {selected}");
    }

    /// <summary>The path a LIST, NLST, MLSD or STAT argument names, after ls-style flags such as "-la".</summary>
    private string? ListingTarget(string argument)
    {
        var words = argument.Trim();
        while (words.StartsWith('-'))
        {
            var space = words.IndexOf(' ', StringComparison.Ordinal);
            words = space < 0 ? string.Empty : words[(space + 1)..].TrimStart();
        }

        return Target(words);
    }

    /// <summary>The listing text of a directory (or of one file for LIST and NLST), or <see langword="null"/> when there is nothing there.</summary>
    private async Task<string?> ListingAsync(string? target, FtpListingKind kind)
    {
        if (target is null || await StatAsync(target).ConfigureAwait(false) is not { } self)
        {
            return null;
        }

        var entries = self.IsDirectory ? await ListEntriesAsync(target).ConfigureAwait(false) ?? [] : [self];
        return FtpListing.Render(entries, kind, _facts, _permissions, _timeProvider.GetUtcNow().UtcDateTime);
    }

    /// <summary>LIST, NLST, MLSD: the listing over a data connection (MLSD of a file is 501, RFC 3659).</summary>
    private async Task ListAsync(FtpListingKind kind, string argument)
    {
        if (!await DataAllowedAsync().ConfigureAwait(false))
        {
            return;
        }

        var target = ListingTarget(argument);
        if (kind == FtpListingKind.Facts && target is not null && await StatAsync(target).ConfigureAwait(false) is { IsDirectory: false })
        {
            await ReplyAsync(FtpReplyCode.BadArguments, "MLSD needs a directory; MLST describes a file.").ConfigureAwait(false);
            return;
        }

        if (await ListingAsync(target, kind).ConfigureAwait(false) is not { } text)
        {
            await ReplyAsync(FtpReplyCode.FileUnavailable, "No such file or directory.").ConfigureAwait(false);
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        await StartTransferAsync("Here comes the directory listing.", FtpTransferKind.Listing, target!, async data =>
        {
            await data.Stream.WriteAsync(bytes, data.Token).ConfigureAwait(false);
            data.Progress(bytes.Length);
        }, "Directory send OK.", null).ConfigureAwait(false);
    }

    /// <summary>MLST (RFC 3659): the facts of one entry on the control connection; no argument is the current directory.</summary>
    private async Task MachineListAsync(string argument)
    {
        var target = string.IsNullOrWhiteSpace(argument) ? _cwd : Target(argument);
        if (target is null || await StatAsync(target).ConfigureAwait(false) is not { } entry)
        {
            await ReplyAsync(FtpReplyCode.FileUnavailable, "No such file or directory.").ConfigureAwait(false);
            return;
        }

        var line = FtpListing.AppendFacts(new StringBuilder(" "), entry with { Name = target }, _facts, _permissions).ToString();
        await ReplyAsync(FtpReplyCode.FileActionDone, [$"Listing {target}", line, "End"]).ConfigureAwait(false);
    }
}
