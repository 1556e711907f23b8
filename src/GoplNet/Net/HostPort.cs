using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace GoplNet.Net;

/// <summary>
/// A <c>host:port</c> address as Go's <c>net.Dial</c> takes it: <c>localhost:8000</c>,
/// <c>127.0.0.1:8000</c>, <c>[::1]:8000</c> or <c>clock.example:8000</c>.
/// </summary>
/// <param name="Host">The host name or address, without brackets.</param>
/// <param name="Port">The TCP port, 1 to 65535.</param>
public readonly record struct HostPort(string Host, int Port)
{
    /// <summary>Reads <paramref name="text"/>; <see langword="false"/> when it is not <c>host:port</c>.</summary>
    /// <param name="text">The address text.</param>
    /// <param name="result">The address when the text is valid.</param>
    /// <returns>Whether the text is a valid address.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, out HostPort result)
    {
        result = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            return false;
        }

        var host = text[..colon];
        if (host.StartsWith('['))
        {
            if (!host.EndsWith(']') || host.Length < 3)
            {
                return false;
            }

            host = host[1..^1];
        }
        else if (host.Contains(':', StringComparison.Ordinal))
        {
            // An IPv6 address needs brackets, as in Go.
            return false;
        }

        if (host.Length == 0 || host.Any(char.IsWhiteSpace)
            || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port is < 1 or > 65_535)
        {
            return false;
        }

        result = new HostPort(host, port);
        return true;
    }

    /// <summary>Reads <paramref name="text"/> as <c>host:port</c>.</summary>
    /// <param name="text">The address text.</param>
    /// <returns>The address.</returns>
    /// <exception cref="FormatException">The text is not <c>host:port</c> with a port from 1 to 65535.</exception>
    public static HostPort Parse(string text) =>
        TryParse(text, out var result) ? result : throw new FormatException($"'{text}' is not host:port (a port from 1 to 65535; IPv6 in brackets, as [::1]:8000)");

    /// <summary>The address as <c>host:port</c>, with brackets around an IPv6 host.</summary>
    /// <returns>The text form.</returns>
    public override string ToString() =>
        Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port.ToString(CultureInfo.InvariantCulture)}" : $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";
}
