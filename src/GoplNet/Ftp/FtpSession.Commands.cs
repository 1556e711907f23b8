using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GoplNet;

internal sealed partial class FtpSession
{
    private static readonly string[] Features =
        ["EPRT", "EPSV", "MDTM", "MLST type*;size*;modify*;perm*;", "PASV", "REST STREAM", "SIZE", "TVFS", "UTF8"];

    private static readonly string[] TlsFeatures = ["AUTH TLS", "PBSZ", "PROT"];

    private static readonly string[] HelpLines =
    [
        "The following commands are recognized.",
        "ABOR APPE AUTH CCC  CDUP CWD  DELE EPRT EPSV FEAT HELP LIST MDTM MKD",
        "MLSD MLST MODE NLST NOOP OPTS PASS PASV PBSZ PORT PROT PWD  QUIT REST",
        "RETR RMD  RNFR RNTO SITE SIZE STAT STOR STOU STRU SYST TYPE USER XCUP",
        "XCWD XMKD XPWD XRMD",
        "Help OK.",
    ];

    /// <summary>Runs one command; <see langword="false"/> ends the session (QUIT, or a limit reached).</summary>
    private async Task<bool> ExecuteAsync(string verb, string argument, CancellationToken cancellationToken)
    {
        if (!LoggedIn && verb is not ("USER" or "PASS" or "QUIT" or "FEAT" or "SYST" or "HELP" or "NOOP" or "OPTS" or "AUTH" or "PBSZ" or "PROT"))
        {
            return await RefuseAsync(530, "Please log in with USER and PASS.").ConfigureAwait(false);
        }

        if (verb != "RNTO" && verb != "RNFR")
        {
            _renameFrom = null;
        }

        switch (verb)
        {
            case "USER":
                if (_options.RequireTls && !_controlProtected)
                {
                    return await RefuseAsync(530, "Log in over TLS: send AUTH TLS first.").ConfigureAwait(false);
                }

                _pendingUser = argument.Trim();
                _user = null;
                await ReplyAsync(331, "Please specify the password.").ConfigureAwait(false);
                break;
            case "PASS":
                return await LoginAsync(argument).ConfigureAwait(false);
            case "QUIT":
                await ReplyAsync(221, "Goodbye.").ConfigureAwait(false);
                return false;
            case "SYST":
                await ReplyAsync(215, "UNIX Type: L8").ConfigureAwait(false);
                break;
            case "FEAT":
                await ReplyAsync(211, ["Features:", .. (_context.Certificate is null ? Features : [.. TlsFeatures, .. Features]).Select(f => " " + f), "End"]).ConfigureAwait(false);
                break;
            case "OPTS":
                await OptionsAsync(argument).ConfigureAwait(false);
                break;
            case "NOOP":
                await ReplyAsync(200, "NOOP ok.").ConfigureAwait(false);
                break;
            case "HELP":
                await ReplyAsync(214, HelpLines).ConfigureAwait(false);
                break;
            case "AUTH":
                return await AuthenticateAsync(argument).ConfigureAwait(false);
            case "PBSZ":
                await ProtectionBufferSizeAsync(argument).ConfigureAwait(false);
                break;
            case "PROT":
                await ProtectionLevelAsync(argument).ConfigureAwait(false);
                break;
            case "CCC":
                await ReplyAsync(534, "The control connection stays protected.").ConfigureAwait(false);
                break;
            case "PWD" or "XPWD":
                await ReplyAsync(257, $"{Quote(_cwd)} is the current directory").ConfigureAwait(false);
                break;
            case "CWD" or "XCWD":
                await ChangeDirectoryAsync(argument).ConfigureAwait(false);
                break;
            case "CDUP" or "XCUP":
                await ChangeDirectoryAsync("..").ConfigureAwait(false);
                break;
            case "TYPE":
                await TypeAsync(argument).ConfigureAwait(false);
                break;
            case "MODE":
                await ReplyAsync(argument.Trim().Equals("S", StringComparison.OrdinalIgnoreCase) ? 200 : 504,
                    argument.Trim().Equals("S", StringComparison.OrdinalIgnoreCase) ? "Mode set to S." : "Only stream mode is supported.").ConfigureAwait(false);
                break;
            case "STRU":
                await ReplyAsync(argument.Trim().Equals("F", StringComparison.OrdinalIgnoreCase) ? 200 : 504,
                    argument.Trim().Equals("F", StringComparison.OrdinalIgnoreCase) ? "Structure set to F." : "Only file structure is supported.").ConfigureAwait(false);
                break;
            case "PASV":
                await PassiveAsync(extended: false).ConfigureAwait(false);
                break;
            case "EPSV":
                await PassiveAsync(extended: true).ConfigureAwait(false);
                break;
            case "PORT":
                await ActiveAsync(ParsePort(argument)).ConfigureAwait(false);
                break;
            case "EPRT":
                await ActiveAsync(ParseEprt(argument)).ConfigureAwait(false);
                break;
            case "REST":
                if (long.TryParse(argument.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
                {
                    _restartOffset = offset;
                    await ReplyAsync(350, $"Restart position accepted ({offset}).").ConfigureAwait(false);
                }
                else
                {
                    await ReplyAsync(501, "REST needs a byte offset.").ConfigureAwait(false);
                }

                break;
            case "ALLO":
                await ReplyAsync(202, "ALLO command ignored.").ConfigureAwait(false);
                break;
            case "SIZE":
                await SizeAsync(argument).ConfigureAwait(false);
                break;
            case "MDTM":
                await ModifiedAsync(argument).ConfigureAwait(false);
                break;
            case "MLST":
                await MachineListAsync(argument).ConfigureAwait(false);
                break;
            case "DELE":
                await ModifyAsync(argument, _fileSystem.DeleteFile, 250, "Delete operation successful.").ConfigureAwait(false);
                break;
            case "MKD" or "XMKD":
                await MakeDirectoryAsync(argument).ConfigureAwait(false);
                break;
            case "RMD" or "XRMD":
                await ModifyAsync(argument, _fileSystem.RemoveDirectory, 250, "Remove directory operation successful.").ConfigureAwait(false);
                break;
            case "RNFR":
                await RenameFromAsync(argument).ConfigureAwait(false);
                break;
            case "RNTO":
                await RenameToAsync(argument).ConfigureAwait(false);
                break;
            case "STAT":
                await StatusAsync(argument).ConfigureAwait(false);
                break;
            case "ABOR":
                await ReplyAsync(225, "No transfer to abort.").ConfigureAwait(false);
                break;
            case "SITE":
                await SiteAsync(argument).ConfigureAwait(false);
                break;
            case "LIST" or "NLST" or "MLSD":
                await ListAsync(verb, argument, cancellationToken).ConfigureAwait(false);
                break;
            case "RETR":
                await RetrieveAsync(argument, cancellationToken).ConfigureAwait(false);
                break;
            case "STOR" or "APPE" or "STOU":
                await StoreAsync(verb, argument, cancellationToken).ConfigureAwait(false);
                break;
            default:
                return await RefuseAsync(500, "Unknown command.").ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>PASS: 230, or after a delay 530; the last allowed failure is answered 421 and ends the session.</summary>
    private async Task<bool> LoginAsync(string password)
    {
        if (_pendingUser is null)
        {
            return await RefuseAsync(503, "Login with USER first.").ConfigureAwait(false);
        }

        var name = _pendingUser;
        var printable = FtpServerLog.Printable(name);
        _pendingUser = null;
        var anonymousAllowed = _options.AllowAnonymous || _options.Users.Count == 0;
        var account = _options.Users.FirstOrDefault(u => u.Name == name);
        if (anonymousAllowed && account is null && AnonymousNames.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            (_user, _anonymous, _readOnly) = (name, true, true);
        }
        else if (FtpPasswordHash.Verify(password, account?.PasswordHash ?? FtpPasswordHash.Decoy) && account is not null)
        {
            // An unknown name costs the same hash check as a known one: timing tells nothing about accounts.
            (_user, _anonymous, _readOnly) = (name, false, account.ReadOnly || _options.ReadOnly);
        }
        else
        {
            FtpServerLog.LoginFailed(_logger, printable, Peer);
            await Task.Delay(_options.LoginFailureDelay, _timeProvider).ConfigureAwait(false);
            if (++_loginFailures >= _options.MaxLoginFailures)
            {
                FtpServerLog.SessionRefused(_logger, Id, "too many failed logins");
                await ReplyAsync(421, "Login incorrect; too many failures, closing control connection.").ConfigureAwait(false);
                return false;
            }

            await ReplyAsync(530, "Login incorrect.").ConfigureAwait(false);
            return true;
        }

        FtpServerLog.LoggedIn(_logger, Id, printable, _readOnly ? "read-only" : "read-write");
        await ReplyAsync(230, "Login successful.").ConfigureAwait(false);
        return true;
    }

    private async Task ProtectionBufferSizeAsync(string argument)
    {
        if (!_controlProtected)
        {
            await ReplyAsync(503, "PBSZ needs AUTH TLS first.").ConfigureAwait(false);
            return;
        }

        // Stream-oriented TLS has no protection buffer: RFC 4217 says 0.
        await ReplyAsync(200, "PBSZ=0").ConfigureAwait(false);
    }

    private async Task ProtectionLevelAsync(string argument)
    {
        if (!_controlProtected)
        {
            await ReplyAsync(503, "PROT needs AUTH TLS first.").ConfigureAwait(false);
            return;
        }

        switch (argument.Trim().ToUpperInvariant())
        {
            case "P":
                _protectData = true;
                await ReplyAsync(200, "Protection level set to P.").ConfigureAwait(false);
                break;
            case "C" when _options.RequireTls:
                await ReplyAsync(534, "Data connections must be protected on this server.").ConfigureAwait(false);
                break;
            case "C":
                _protectData = false;
                await ReplyAsync(200, "Protection level set to C.").ConfigureAwait(false);
                break;
            default:
                await ReplyAsync(504, "PROT P and PROT C are supported.").ConfigureAwait(false);
                break;
        }
    }

    private Task OptionsAsync(string argument)
    {
        var option = argument.Trim().ToUpperInvariant();
        return option switch
        {
            "UTF8 ON" or "UTF-8 ON" => ReplyAsync(200, "Always in UTF8 mode."),
            _ when option.StartsWith("MLST", StringComparison.Ordinal) => ReplyAsync(200, "MLST OPTS type;size;modify;perm;"),
            _ => ReplyAsync(501, "Option not understood."),
        };
    }

    private async Task ChangeDirectoryAsync(string argument)
    {
        if (Target(argument) is { } target && _fileSystem.Stat(target) is { IsDirectory: true })
        {
            _cwd = target;
            await ReplyAsync(250, "Directory successfully changed.").ConfigureAwait(false);
        }
        else
        {
            await ReplyAsync(550, "Failed to change directory.").ConfigureAwait(false);
        }
    }

    private Task TypeAsync(string argument)
    {
        var type = argument.Trim().ToUpperInvariant();
        if (type is "A" or "A N")
        {
            _binary = false;
            return ReplyAsync(200, "Switching to ASCII mode.");
        }

        if (type is "I" or "L 8")
        {
            _binary = true;
            return ReplyAsync(200, "Switching to Binary mode.");
        }

        return ReplyAsync(504, "Type not supported.");
    }

    private async Task PassiveAsync(bool extended)
    {
        _data?.Dispose();
        _data = null;
        var local = _local.IsIPv4MappedToIPv6 ? _local.MapToIPv4() : _local;
        if (!extended && local.AddressFamily != AddressFamily.InterNetwork)
        {
            await ReplyAsync(425, "PASV is for IPv4; use EPSV.").ConfigureAwait(false);
            return;
        }

        try
        {
            _data = FtpDataChannel.Passive(_local, _peer, _options.PassivePortMin, _options.PassivePortMax, _options.DataConnectionTimeout, _timeProvider);
        }
        catch (SocketException)
        {
            await ReplyAsync(425, "No passive port is free.").ConfigureAwait(false);
            return;
        }

        var port = _data.PassivePort;
        if (extended)
        {
            await ReplyAsync(229, $"Entering Extended Passive Mode (|||{port}|)").ConfigureAwait(false);
            return;
        }

        var announced = _options.PassiveAddress is { } configured && IPAddress.TryParse(configured, out var parsed) ? parsed : local;
        var octets = string.Join(',', announced.GetAddressBytes());
        await ReplyAsync(227, $"Entering Passive Mode ({octets},{port >> 8},{port & 0xFF}).").ConfigureAwait(false);
    }

    private async Task ActiveAsync(IPEndPoint? endPoint)
    {
        _data?.Dispose();
        _data = null;

        // RFC 2577: never connect to a third party or to a privileged port (no bounce scans).
        if (endPoint is null || !FtpDataChannel.Same(endPoint.Address, _peer) || endPoint.Port < 1024)
        {
            await ReplyAsync(500, "Illegal PORT command.").ConfigureAwait(false);
            return;
        }

        _data = FtpDataChannel.Active(endPoint, _peer, _options.DataConnectionTimeout, _timeProvider);
        await ReplyAsync(200, "PORT command successful.").ConfigureAwait(false);
    }

    private static IPEndPoint? ParsePort(string argument)
    {
        var parts = argument.Trim().Split(',');
        if (parts.Length != 6)
        {
            return null;
        }

        var bytes = new byte[6];
        for (var i = 0; i < 6; i++)
        {
            if (!byte.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out bytes[i]))
            {
                return null;
            }
        }

        return new IPEndPoint(new IPAddress(bytes.AsSpan(0, 4)), (bytes[4] << 8) | bytes[5]);
    }

    private static IPEndPoint? ParseEprt(string argument)
    {
        var text = argument.Trim();
        if (text.Length < 7)
        {
            return null;
        }

        var parts = text.Split(text[0]);
        return parts.Length == 5 && parts[1] is "1" or "2" && IPAddress.TryParse(parts[2], out var address)
            && int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65_535
            ? new IPEndPoint(address, port)
            : null;
    }

    private async Task SizeAsync(string argument)
    {
        if (Target(argument) is { } target && _fileSystem.Stat(target) is { IsDirectory: false } entry)
        {
            await ReplyAsync(213, entry.Length.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
        }
        else
        {
            await ReplyAsync(550, "Could not get file size.").ConfigureAwait(false);
        }
    }

    private async Task ModifiedAsync(string argument)
    {
        if (Target(argument) is { } target && _fileSystem.Stat(target) is { IsDirectory: false } entry)
        {
            await ReplyAsync(213, entry.LastWriteTimeUtc.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)).ConfigureAwait(false);
        }
        else
        {
            await ReplyAsync(550, "Could not get file modification time.").ConfigureAwait(false);
        }
    }

    private async Task MachineListAsync(string argument)
    {
        var target = Target(argument);
        if (target is null || _fileSystem.Stat(target) is not { } entry)
        {
            await ReplyAsync(550, "No such file or directory.").ConfigureAwait(false);
            return;
        }

        await ReplyAsync(250, [$"Listing {target}", " " + FtpListing.Facts(entry, target, null, !_readOnly), "End"]).ConfigureAwait(false);
    }

    private async Task MakeDirectoryAsync(string argument)
    {
        var target = Target(argument);
        await ModifyAsync(argument, _fileSystem.CreateDirectory, 257, target is null ? string.Empty : $"{Quote(target)} created").ConfigureAwait(false);
    }

    private async Task RenameFromAsync(string argument)
    {
        if (_readOnly)
        {
            await ReplyAsync(550, "Permission denied.").ConfigureAwait(false);
            return;
        }

        var target = Target(argument);
        if (target is not null && target != "/" && _fileSystem.Stat(target) is not null)
        {
            _renameFrom = target;
            await ReplyAsync(350, "Ready for RNTO.").ConfigureAwait(false);
        }
        else
        {
            await ReplyAsync(550, "RNFR command failed.").ConfigureAwait(false);
        }
    }

    private async Task RenameToAsync(string argument)
    {
        var from = _renameFrom;
        _renameFrom = null;
        if (from is null)
        {
            await ReplyAsync(503, "RNFR required first.").ConfigureAwait(false);
            return;
        }

        await ModifyAsync(argument, path => _fileSystem.Rename(from, path), 250, "Rename successful.").ConfigureAwait(false);
    }

    private async Task StatusAsync(string argument)
    {
        if (argument.Length == 0)
        {
            await ReplyAsync(211,
            [
                "GoplNet FTP server status:",
                $"Logged in as {_user}",
                $"TYPE: {(_binary ? "BINARY" : "ASCII")}",
                _data is null ? "No data connection" : "Data connection ready",
                "End of status",
            ]).ConfigureAwait(false);
            return;
        }

        var listing = Listing(ListingTarget(argument), names: false);
        if (listing is null)
        {
            await ReplyAsync(550, "No such file or directory.").ConfigureAwait(false);
            return;
        }

        await ReplyAsync(213, ["Status follows:", .. listing.Split("\r\n", StringSplitOptions.RemoveEmptyEntries), "End of status"]).ConfigureAwait(false);
    }

    private Task SiteAsync(string argument)
    {
        var (command, _) = Split(argument);
        return command == "HELP"
            ? ReplyAsync(214, "SITE commands: HELP")
            : ReplyAsync(_readOnly ? 550 : 502, _readOnly ? "Permission denied." : "SITE command not implemented.");
    }

    /// <summary>Runs a change to the file system, answering 550 for a read-only account, the root, a path outside it or a failure.</summary>
    private async Task ModifyAsync(string argument, Action<string> change, int code, string reply)
    {
        if (_readOnly)
        {
            await ReplyAsync(550, "Permission denied.").ConfigureAwait(false);
            return;
        }

        var target = Target(argument);
        if (target is null || target == "/")
        {
            await ReplyAsync(550, "Permission denied.").ConfigureAwait(false);
            return;
        }

        try
        {
            change(target);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await ReplyAsync(550, "Operation failed.").ConfigureAwait(false);
            return;
        }

        await ReplyAsync(code, reply).ConfigureAwait(false);
    }

    /// <summary>The virtual path an argument names from the current directory; <see langword="null"/> when it is not a path.</summary>
    private string? Target(string argument) => FtpPath.Resolve(_cwd, argument);
}
