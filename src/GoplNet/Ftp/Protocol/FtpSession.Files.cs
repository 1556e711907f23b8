using System.Globalization;
using GoplNet.Ftp.Data;
using GoplNet.Ftp.Events;
using GoplNet.Ftp.Storage;

namespace GoplNet.Ftp.Protocol;

/// <summary>Files: DELE, RNFR, RNTO, SIZE, MDTM, MFMT, SITE CHMOD, HASH and the X-hashes.</summary>
internal sealed partial class FtpSession
{
    private const string MachineTimeFormat = "yyyyMMddHHmmss";

    private string? _renameFrom;
    private FtpHashAlgorithm _hashAlgorithm = FtpHashAlgorithm.Sha256;

    /// <summary>The FEAT line of HASH: every algorithm, the selected one marked with <c>*</c>.</summary>
    private string HashFeature => "HASH " + string.Join(';', FtpHashAlgorithms.All.Select(a => a == _hashAlgorithm ? FtpHashAlgorithms.Name(a) + "*" : FtpHashAlgorithms.Name(a)));

    /// <summary>Forgets a pending RNFR and goes back to HASH's default algorithm.</summary>
    private void ResetFileOptions()
    {
        _renameFrom = null;
        _hashAlgorithm = FtpHashAlgorithm.Sha256;
    }

    private async Task DeleteAsync(string argument)
    {
        if (await ChangeStorageAsync(argument, static (fs, p, t) => fs.DeleteFileAsync(p, t)).ConfigureAwait(false) is { } deleted)
        {
            await ReplyAsync(FtpReplyCode.FileActionDone, "Delete operation successful.").ConfigureAwait(false);
            await RaiseAsync(PathEvent(deleted), static (h, e, t) => h.OnFileDeletedAsync(e, t)).ConfigureAwait(false);
        }
    }

    private async Task RenameFromAsync(string argument)
    {
        var target = Target(argument);
        if (target is not null && target != "/" && await StatAsync(target).ConfigureAwait(false) is not null)
        {
            _renameFrom = target;
            await ReplyAsync(FtpReplyCode.PendingFurtherInformation, "Ready for RNTO.").ConfigureAwait(false);
        }
        else
        {
            await ReplyAsync(FtpReplyCode.FileUnavailable, "RNFR command failed.").ConfigureAwait(false);
        }
    }

    private async Task RenameToAsync(string argument)
    {
        var from = _renameFrom;
        _renameFrom = null;
        if (from is null)
        {
            await ReplyAsync(FtpReplyCode.BadSequence, "RNFR required first.").ConfigureAwait(false);
            return;
        }

        if (await ChangeStorageAsync(argument, (fs, p, t) => fs.RenameAsync(from, p, t)).ConfigureAwait(false) is { } to)
        {
            await ReplyAsync(FtpReplyCode.FileActionDone, "Rename successful.").ConfigureAwait(false);
            await RaiseAsync(new FtpRenamedEvent(Id, RemoteEndPoint, _timeProvider.GetUtcNow(), _account!, _fileSystem, from, to), static (h, e, t) => h.OnRenamedAsync(e, t)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// SIZE (RFC 3659): the bytes RETR would send. In binary mode the file's length; in ASCII mode
    /// the length after line-end conversion (each LF not already after a CR gains one), which
    /// means reading the file.
    /// </summary>
    private async Task SizeAsync(string argument)
    {
        if (Target(argument) is not { } target || await StatAsync(target).ConfigureAwait(false) is not { IsDirectory: false } entry)
        {
            await ReplyAsync(FtpReplyCode.FileUnavailable, "Could not get file size.").ConfigureAwait(false);
            return;
        }

        var size = entry.Length;
        if (!_binary)
        {
            try
            {
                var file = await _fileSystem.OpenReadAsync(target, 0, _stopping).ConfigureAwait(false);
                await using (file.ConfigureAwait(false))
                {
                    size = await FtpAsciiConversion.ConvertedLengthAsync(file).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await ReplyAsync(FtpReplyCode.FileUnavailable, "Could not get file size.").ConfigureAwait(false);
                return;
            }
        }

        await ReplyAsync(FtpReplyCode.FileStatus, size.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
    }

    private async Task ModifiedAsync(string argument)
    {
        if (Target(argument) is { } target && await StatAsync(target).ConfigureAwait(false) is { IsDirectory: false } entry)
        {
            await ReplyAsync(FtpReplyCode.FileStatus, entry.LastWriteTimeUtc.ToString(MachineTimeFormat, CultureInfo.InvariantCulture)).ConfigureAwait(false);
        }
        else
        {
            await ReplyAsync(FtpReplyCode.FileUnavailable, "Could not get file modification time.").ConfigureAwait(false);
        }
    }

    /// <summary>MFMT (draft-somers-ftp-mfxx): <c>MFMT YYYYMMDDHHMMSS[.sss] path</c> sets the modification time (UTC).</summary>
    private async Task SetModifiedAsync(string argument)
    {
        var (time, path) = SplitFirst(argument);
        var whole = time.Split('.');
        if (path.Length == 0 || whole.Length > 2 || whole[0].Length != 14
            || !DateTime.TryParseExact(whole[0], MachineTimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var modified)
            || (whole.Length == 2 && (whole[1].Length is 0 or > 3 || !whole[1].All(char.IsAsciiDigit))))
        {
            await ReplyAsync(FtpReplyCode.BadArguments, "Syntax: MFMT YYYYMMDDHHMMSS[.sss] pathname").ConfigureAwait(false);
            return;
        }

        if (whole.Length == 2)
        {
            modified = modified.AddMilliseconds(int.Parse(whole[1].PadRight(3, '0'), CultureInfo.InvariantCulture));
        }

        if (await ChangeStorageAsync(path, (fs, p, t) => fs.SetLastWriteTimeAsync(p, modified, t)).ConfigureAwait(false) is not null)
        {
            await ReplyAsync(FtpReplyCode.FileStatus, $"Modify={time}; {path}").ConfigureAwait(false);
        }
    }

    /// <summary>SITE CHMOD: an octal mode of up to 0777 plus the sticky bit; set-user-ID and set-group-ID are never given.</summary>
    private async Task ChangeModeAsync(string argument)
    {
        var (text, path) = SplitFirst(argument);
        if (path.Length == 0 || text.Length is 0 or > 5 || !text.All(c => c is >= '0' and <= '7'))
        {
            await ReplyAsync(FtpReplyCode.BadArguments, "Syntax: SITE CHMOD <octal-mode> <pathname>").ConfigureAwait(false);
            return;
        }

        var mode = Convert.ToInt32(text, 8);
        if (mode > 0b111_111_111_111)
        {
            await ReplyAsync(FtpReplyCode.BadArguments, "A mode has at most four octal digits.").ConfigureAwait(false);
            return;
        }

        if ((mode & (int)(UnixFileMode.SetUser | UnixFileMode.SetGroup)) != 0)
        {
            await ReplyAsync(FtpReplyCode.FileUnavailable, "Set-user-ID and set-group-ID bits are not allowed.").ConfigureAwait(false);
            return;
        }

        if (await ChangeStorageAsync(path, (fs, p, t) => fs.SetModeAsync(p, (UnixFileMode)mode, t)).ConfigureAwait(false) is not null)
        {
            await ReplyAsync(FtpReplyCode.Okay, "SITE CHMOD command successful.").ConfigureAwait(false);
        }
    }

    /// <summary>OPTS HASH: with no argument the selected algorithm; with a name (SHA-256, SHA-1, MD5, CRC32) selects it.</summary>
    private Task SelectHashAsync(string argument)
    {
        var name = argument.Trim();
        if (name.Length == 0)
        {
            return ReplyAsync(FtpReplyCode.Okay, FtpHashAlgorithms.Name(_hashAlgorithm));
        }

        if (FtpHashAlgorithms.Parse(name) is not { } algorithm)
        {
            return ReplyAsync(FtpReplyCode.BadArguments, "Unknown algorithm; FEAT lists them.");
        }

        _hashAlgorithm = algorithm;
        return ReplyAsync(FtpReplyCode.Okay, FtpHashAlgorithms.Name(algorithm));
    }

    /// <summary>HASH (draft-bryan-ftpext-hash): <c>213 SHA-256 0-LENGTH hexdigest name</c> of a whole file.</summary>
    private async Task HashAsync(string argument)
    {
        if (await HashFileAsync(_hashAlgorithm, argument, 0, null).ConfigureAwait(false) is { } hash)
        {
            await ReplyAsync(FtpReplyCode.FileStatus, $"{FtpHashAlgorithms.Name(_hashAlgorithm)} {hash.Start}-{hash.End} {hash.Digest} {argument}").ConfigureAwait(false);
        }
    }

    /// <summary>XCRC, XMD5, XSHA1, XSHA256: <c>250 hexdigest</c> of a file, or of the bytes from start up to (not including) end.</summary>
    private async Task LegacyHashAsync(FtpHashAlgorithm algorithm, string argument)
    {
        if (await ParseHashArgumentAsync(argument).ConfigureAwait(false) is not var (path, start, end))
        {
            await ReplyAsync(FtpReplyCode.BadArguments, "Syntax: <pathname> [<start> [<end>]]").ConfigureAwait(false);
            return;
        }

        if (await HashFileAsync(algorithm, path, start, end).ConfigureAwait(false) is { } hash)
        {
            await ReplyAsync(FtpReplyCode.FileActionDone, hash.Digest).ConfigureAwait(false);
        }
    }

    /// <summary>A file's digest over a range, or <see langword="null"/> after answering 550 (no such file) or 501 (a range past its end).</summary>
    private async Task<(string Digest, long Start, long End)?> HashFileAsync(FtpHashAlgorithm algorithm, string argument, long start, long? end)
    {
        if (Target(argument) is not { } target || await StatAsync(target).ConfigureAwait(false) is not { IsDirectory: false } entry)
        {
            await ReplyAsync(FtpReplyCode.FileUnavailable, "No such file.").ConfigureAwait(false);
            return null;
        }

        var last = end ?? entry.Length;
        if (start > last || last > entry.Length)
        {
            await ReplyAsync(FtpReplyCode.BadArguments, "The range is outside the file.").ConfigureAwait(false);
            return null;
        }

        try
        {
            var file = await _fileSystem.OpenReadAsync(target, start, _stopping).ConfigureAwait(false);
            await using (file.ConfigureAwait(false))
            {
                var digest = await FtpHashAlgorithms.ComputeAsync(algorithm, file, last - start).ConfigureAwait(false);
                return (digest, start, last);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            await ReplyAsync(FtpReplyCode.FileUnavailable, "No such file.").ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>
    /// A legacy hash argument: a path (quoted when it has spaces), then optional start and end
    /// offsets. Unquoted, trailing numbers count as offsets only when what precedes them names a file.
    /// </summary>
    private async Task<(string Path, long Start, long? End)?> ParseHashArgumentAsync(string argument)
    {
        var path = argument.Trim();
        string[] numbers;
        if (path.StartsWith('"'))
        {
            var close = path.IndexOf('"', 1);
            if (close < 0)
            {
                return null;
            }

            numbers = path[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            path = path[1..close];
        }
        else
        {
            var words = path.Split(' ');
            var count = words.Reverse().TakeWhile(w => long.TryParse(w, NumberStyles.None, CultureInfo.InvariantCulture, out _)).Take(2).Count();
            while (count > 0 && !(Target(string.Join(' ', words[..^count])) is { } candidate && await StatAsync(candidate).ConfigureAwait(false) is not null))
            {
                count--;
            }

            numbers = words[^count..];
            path = string.Join(' ', words[..^count]);
        }

        var offsets = new long[numbers.Length];
        if (numbers.Length > 2 || path.Length == 0
            || !numbers.Select((n, i) => long.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out offsets[i])).All(ok => ok))
        {
            return null;
        }

        return (path, offsets.Length > 0 ? offsets[0] : 0, offsets.Length > 1 ? offsets[1] : null);
    }

    /// <summary>Splits off the first word of an argument: (word, rest).</summary>
    private static (string First, string Remainder) SplitFirst(string argument)
    {
        var text = argument.TrimStart();
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? (text, string.Empty) : (text[..space], text[(space + 1)..]);
    }
}
