using System.Net;

namespace GoplNet.Hosting;

/// <summary>
/// Strict parsing of IP address text, for addresses that arrive from configuration or from a peer:
/// <see cref="IPAddress.TryParse(ReadOnlySpan{char}, out IPAddress?)"/> alone also takes forms such as
/// <c>10</c>, <c>0x7f.1</c> or <c>010.0.0.1</c> (octal on some systems), a scope id and brackets.
/// </summary>
internal static class IPAddressText
{
    /// <summary>
    /// Parses an IPv4 address in canonical dotted-decimal form (four numbers 0 to 255, no leading zeros),
    /// or an IPv6 address in any of the standard forms, without a scope id or brackets.
    /// </summary>
    /// <param name="text">The text, without surrounding spaces.</param>
    /// <param name="address">The address, when the text is one.</param>
    /// <returns>Whether <paramref name="text"/> is an address.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (text.IsEmpty || text.ContainsAny('%', '[', ']') || !IPAddress.TryParse(text, out var parsed))
        {
            return false;
        }

        // Any IPv4 text that is not the canonical dotted quad differs from its own formatting.
        if (text.Contains(':') ? parsed.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6 : !text.SequenceEqual(parsed.ToString()))
        {
            return false;
        }

        address = parsed;
        return true;
    }
}
