using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace GoplNet.Net;

/// <summary>
/// A <c>host:port</c> address as Go's <c>net.Dial</c> takes it: <c>localhost:8000</c>,
/// <c>127.0.0.1:8000</c>, <c>[::1]:8000</c> or <c>clock.example:8000</c>. Always a server to
/// connect to: the host is not empty and the port is 1 to 65535, whether the address comes from the
/// constructor, <see cref="Parse"/> or a <see langword="with"/> expression.
/// </summary>
/// <param name="Host">The host name or address, without brackets: not empty, no white space.</param>
/// <param name="Port">The TCP port, 1 to 65535.</param>
public sealed record HostPort(string Host, int Port)
{
    /// <summary>The lowest port a client can connect to.</summary>
    public const int MinPort = 1;

    /// <summary>The highest TCP port.</summary>
    public const int MaxPort = 65_535;

    private readonly string _host = ValidHost(Host, nameof(Host));
    private readonly int _port = ValidPort(Port, nameof(Port));

    /// <summary>The host name or address, without brackets.</summary>
    /// <exception cref="ArgumentNullException">Set to <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Set to an empty name or one with white space.</exception>
    public string Host
    {
        get => _host;
        init => _host = ValidHost(value, nameof(Host));
    }

    /// <summary>The TCP port, 1 to 65535.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set outside 1 to 65535.</exception>
    public int Port
    {
        get => _port;
        init => _port = ValidPort(value, nameof(Port));
    }

    /// <summary>Reads <paramref name="text"/>; <see langword="false"/> when it is not <c>host:port</c>.</summary>
    /// <param name="text">The address text.</param>
    /// <param name="result">The address when the text is valid.</param>
    /// <returns>Whether the text is a valid address.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out HostPort? result) =>
        Read(text, out result) is null;

    /// <summary>Reads <paramref name="text"/> as <c>host:port</c>.</summary>
    /// <param name="text">The address text.</param>
    /// <returns>The address.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">
    /// The text is not <c>host:port</c> with a port from 1 to 65535; the message says which part is wrong.
    /// </exception>
    public static HostPort Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Read(text, out var result) is { } error ? throw new FormatException($"'{text}' is not host:port: {error}") : result!;
    }

    /// <summary>The address as <c>host:port</c>, with brackets around an IPv6 host.</summary>
    /// <returns>The text form.</returns>
    public override string ToString() =>
        Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port.ToString(CultureInfo.InvariantCulture)}" : $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Reads the text; the reason it is not an address, or <see langword="null"/> with the address.</summary>
    private static string? Read(string? text, out HostPort? result)
    {
        result = null;
        if (string.IsNullOrEmpty(text))
        {
            return "the address is empty";
        }

        var colon = text.LastIndexOf(':');
        if (colon < 0 || colon == text.Length - 1)
        {
            return "there is no port after the last ':' (IPv6 in brackets, as [::1]:8000)";
        }

        var host = text[..colon];
        if (host.StartsWith('['))
        {
            if (!host.EndsWith(']') || host.Length < 3)
            {
                return "an IPv6 host needs both brackets, as [::1]:8000";
            }

            host = host[1..^1];
        }
        else if (host.Contains(':', StringComparison.Ordinal))
        {
            // An IPv6 address needs brackets, as in Go.
            return "an IPv6 host needs brackets, as [::1]:8000";
        }

        if (host.Length == 0)
        {
            return "the host is empty";
        }

        if (host.Any(char.IsWhiteSpace))
        {
            return "the host has white space in it";
        }

        var portText = text.AsSpan(colon + 1);
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            return portText.ContainsAnyExceptInRange('0', '9') ? $"the port '{portText}' is not a number" : $"the port {portText} is out of range (1 to 65535)";
        }

        if (port is < MinPort or > MaxPort)
        {
            return $"the port {port.ToString(CultureInfo.InvariantCulture)} is out of range (1 to 65535)";
        }

        result = new HostPort(host, port);
        return null;
    }

    private static string ValidHost(string host, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(host, name);
        return host.Any(char.IsWhiteSpace) ? throw new ArgumentException("A host has no white space in it.", name) : host;
    }

    private static int ValidPort(int port, string name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(port, MinPort, name);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, MaxPort, name);
        return port;
    }
}
