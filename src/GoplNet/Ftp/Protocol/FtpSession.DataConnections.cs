using System.Globalization;
using System.Net;
using System.Net.Sockets;
using GoplNet.Ftp.Data;

namespace GoplNet.Ftp.Protocol;

/// <summary>Where the next data connection comes from: PASV, EPSV (and EPSV ALL), PORT, EPRT.</summary>
internal sealed partial class FtpSession
{
    private FtpDataChannel? _data;
    private bool _extendedPassiveOnly;

    /// <summary>The address family number of the control connection, as EPSV and EPRT write it (1 IPv4, 2 IPv6).</summary>
    private int Family => FtpDataChannel.Unmapped(_local).AddressFamily == AddressFamily.InterNetwork ? 1 : 2;

    /// <summary>Drops a prepared data connection and EPSV ALL.</summary>
    private void ResetDataConnection()
    {
        _data?.Dispose();
        _data = null;
        _extendedPassiveOnly = false;
    }

    private async Task PassiveAsync()
    {
        if (await RefusedByExtendedPassiveOnlyAsync().ConfigureAwait(false))
        {
            return;
        }

        if (Family != 1)
        {
            await ReplyAsync(FtpReplyCode.CannotOpenData, "PASV is for IPv4; use EPSV.").ConfigureAwait(false);
            return;
        }

        if (await ListenAsync().ConfigureAwait(false) is not { } port)
        {
            return;
        }

        var announced = _context.PassiveAddress ?? FtpDataChannel.Unmapped(_local);
        var octets = string.Join(',', announced.GetAddressBytes());
        await ReplyAsync(FtpReplyCode.PassiveMode, $"Entering Passive Mode ({octets},{port >> 8},{port & 0xFF}).").ConfigureAwait(false);
    }

    /// <summary>
    /// EPSV (RFC 2428): a passive port on the control connection's own address. <c>EPSV 1</c> and
    /// <c>EPSV 2</c> name the family (only the control connection's can reach the server from the
    /// client's address; another is 522); <c>EPSV ALL</c> refuses every other data command from now on.
    /// </summary>
    private async Task ExtendedPassiveAsync(string argument)
    {
        var protocol = argument.Trim();
        if (protocol.Equals("ALL", StringComparison.OrdinalIgnoreCase))
        {
            _extendedPassiveOnly = true;
            await ReplyAsync(FtpReplyCode.Okay, "EPSV ALL ok; only EPSV sets up data connections now.").ConfigureAwait(false);
            return;
        }

        if (protocol.Length > 0 && protocol != Family.ToString(CultureInfo.InvariantCulture))
        {
            await ReplyAsync(FtpReplyCode.NetworkProtocolNotSupported, protocol is "1" or "2"
                ? $"Network protocol not supported on this connection, use ({Family})"
                : "Network protocol not supported, use (1,2)").ConfigureAwait(false);
            return;
        }

        if (await ListenAsync().ConfigureAwait(false) is { } port)
        {
            await ReplyAsync(FtpReplyCode.ExtendedPassiveMode, $"Entering Extended Passive Mode (|||{port}|)").ConfigureAwait(false);
        }
    }

    private async Task PortAsync(string argument)
    {
        if (await RefusedByExtendedPassiveOnlyAsync().ConfigureAwait(false))
        {
            return;
        }

        if (ParsePort(argument) is not { } endPoint)
        {
            await ReplyAsync(FtpReplyCode.BadArguments, "Syntax: PORT h1,h2,h3,h4,p1,p2 (each 0-255).").ConfigureAwait(false);
            return;
        }

        await ActiveAsync(endPoint).ConfigureAwait(false);
    }

    private async Task ExtendedPortAsync(string argument)
    {
        if (await RefusedByExtendedPassiveOnlyAsync().ConfigureAwait(false))
        {
            return;
        }

        var (endPoint, unsupportedProtocol) = ParseEprt(argument);
        if (unsupportedProtocol)
        {
            await ReplyAsync(FtpReplyCode.NetworkProtocolNotSupported, "Network protocol not supported, use (1,2)").ConfigureAwait(false);
            return;
        }

        if (endPoint is null)
        {
            await ReplyAsync(FtpReplyCode.BadArguments, "Syntax: EPRT |1|a.b.c.d|port| or EPRT |2|ipv6|port|").ConfigureAwait(false);
            return;
        }

        await ActiveAsync(endPoint).ConfigureAwait(false);
    }

    private async Task<bool> RefusedByExtendedPassiveOnlyAsync()
    {
        if (!_extendedPassiveOnly)
        {
            return false;
        }

        await ReplyAsync(FtpReplyCode.BadSequence, "EPSV ALL is in effect; use EPSV.").ConfigureAwait(false);
        return true;
    }

    /// <summary>A new passive listener (replacing a prepared data connection): its port, or <see langword="null"/> after answering 425.</summary>
    private async Task<int?> ListenAsync()
    {
        _data?.Dispose();
        _data = null;
        try
        {
            _data = FtpDataChannel.Passive(_local, _peer, _options.PassivePortMin, _options.PassivePortMax, _options.DataConnectionTimeout, _timeProvider, _context.Proxies);
            return _data.PassivePort;
        }
        catch (SocketException)
        {
            await ReplyAsync(FtpReplyCode.CannotOpenData, "No passive port is free.").ConfigureAwait(false);
            return null;
        }
    }

    private async Task ActiveAsync(IPEndPoint endPoint)
    {
        _data?.Dispose();
        _data = null;

        // RFC 2577: never connect to a third party or to a privileged port (no bounce scans).
        if (!FtpDataChannel.Same(endPoint.Address, _peer) || endPoint.Port < 1024)
        {
            await ReplyAsync(FtpReplyCode.UnknownCommand, "Illegal PORT command: only the client's own address, port 1024 or above.").ConfigureAwait(false);
            return;
        }

        _data = FtpDataChannel.Active(endPoint, _peer, _options.DataConnectionTimeout, _timeProvider);
        await ReplyAsync(FtpReplyCode.Okay, "PORT command successful.").ConfigureAwait(false);
    }

    /// <summary>h1,h2,h3,h4,p1,p2 with each a decimal 0-255; <see langword="null"/> when malformed.</summary>
    internal static IPEndPoint? ParsePort(string argument)
    {
        var parts = argument.Trim().Split(',');
        if (parts.Length != 6)
        {
            return null;
        }

        var bytes = new byte[6];
        for (var i = 0; i < 6; i++)
        {
            if (parts[i].Length is 0 or > 3 || !byte.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out bytes[i]))
            {
                return null;
            }
        }

        return new IPEndPoint(new IPAddress(bytes.AsSpan(0, 4)), (bytes[4] << 8) | bytes[5]);
    }

    /// <summary>
    /// <c>&lt;d&gt;proto&lt;d&gt;address&lt;d&gt;port&lt;d&gt;</c> with a printable delimiter (RFC 2428):
    /// the endpoint, or why not (a protocol other than 1 and 2 is 522, anything else malformed 501).
    /// </summary>
    internal static (IPEndPoint? EndPoint, bool UnsupportedProtocol) ParseEprt(string argument)
    {
        var text = argument.Trim();
        if (text.Length < 7 || text[0] is < '!' or > '~' || text[^1] != text[0])
        {
            return (null, false);
        }

        var parts = text.Split(text[0]);
        if (parts.Length != 5 || parts[1].Length == 0 || parts[2].Length == 0 || parts[3].Length == 0)
        {
            return (null, false);
        }

        if (parts[1] is not ("1" or "2"))
        {
            return (null, parts[1].All(char.IsAsciiDigit));
        }

        var family = parts[1] == "1" ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
        return IPAddress.TryParse(parts[2], out var address) && address.AddressFamily == family
            && (family == AddressFamily.InterNetworkV6 || parts[2].Count(c => c == '.') == 3)
            && parts[3].All(char.IsAsciiDigit) && int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65_535
            ? (new IPEndPoint(address, port), false)
            : (null, false);
    }
}
