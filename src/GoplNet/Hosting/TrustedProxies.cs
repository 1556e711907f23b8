using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace GoplNet.Hosting;

/// <summary>
/// The load balancers allowed to send a PROXY protocol header: addresses and CIDR networks, IPv4 and IPv6.
/// Parsed once, then immutable and safe to share between connections.
/// </summary>
/// <remarks>
/// With the PROXY protocol on, a server uses this list as follows: a connection from a trusted proxy must
/// start with a valid header (else it is closed); a connection from any other address is refused and
/// closed without reading anything, since only a trusted proxy may say where a client comes from.
/// A dual-stack listener sees IPv4 peers as IPv4-mapped IPv6 addresses (<c>::ffff:10.0.0.5</c>):
/// those are matched as the IPv4 addresses they are, and an IPv4-mapped entry is stored as IPv4.
/// </remarks>
internal sealed class TrustedProxies
{
    private const int MappedPrefixLength = 96;
    private readonly IPNetwork[] _networks;

    private TrustedProxies(IPNetwork[] networks) => _networks = networks;

    /// <summary>An empty list: no peer is trusted.</summary>
    public static TrustedProxies None { get; } = new([]);

    /// <summary>The networks in the list (an address is a network of one: /32 or /128).</summary>
    public IReadOnlyList<IPNetwork> Networks => _networks;

    /// <summary>Parses entries such as <c>127.0.0.1</c>, <c>10.0.0.0/8</c>, <c>::1</c> or <c>fd00::/8</c>.</summary>
    /// <param name="entries">One address or network per entry; surrounding spaces are ignored.</param>
    /// <returns>The list.</returns>
    /// <exception cref="FormatException">An entry is not an address or a network; the message has one line per bad entry.</exception>
    public static TrustedProxies Parse(IEnumerable<string> entries)
    {
        if (!TryParse(entries, out var proxies, out var errors))
        {
            throw new FormatException(string.Join(Environment.NewLine, errors));
        }

        return proxies;
    }

    /// <summary>Parses entries such as <c>127.0.0.1</c>, <c>10.0.0.0/8</c>, <c>::1</c> or <c>fd00::/8</c>, without throwing.</summary>
    /// <param name="entries">One address or network per entry; surrounding spaces are ignored.</param>
    /// <param name="proxies">The list, when every entry is valid.</param>
    /// <param name="errors">One message per bad entry, naming it; empty on success.</param>
    /// <returns>Whether every entry is valid.</returns>
    public static bool TryParse(
        IEnumerable<string> entries,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TrustedProxies? proxies,
        out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var networks = new List<IPNetwork>();
        var problems = new List<string>();
        foreach (var entry in entries)
        {
            if (TryParseEntry(entry, out var network, out var error))
            {
                networks.Add(network);
            }
            else
            {
                problems.Add(error);
            }
        }

        errors = problems;
        proxies = problems.Count == 0 ? new TrustedProxies([.. networks]) : null;
        return proxies is not null;
    }

    /// <summary>Parses one entry: an address, or a network as <c>address/prefix</c> with no bits set past the prefix.</summary>
    /// <param name="text">The entry; surrounding spaces are ignored.</param>
    /// <param name="network">The network (an address is a network of one).</param>
    /// <param name="error">Why the entry is not valid, naming it.</param>
    /// <returns>Whether the entry is valid.</returns>
    public static bool TryParseEntry(
        string? text,
        out IPNetwork network,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        network = default;
        var entry = (text ?? string.Empty).Trim();
        if (entry.Length == 0)
        {
            error = "a trusted proxy entry is empty";
            return false;
        }

        var slash = entry.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? entry : entry[..slash];
        if (!IPAddressText.TryParse(addressText, out var address))
        {
            error = $"trusted proxy '{entry}': '{addressText}' is not an IPv4 or IPv6 address";
            return false;
        }

        var maxPrefix = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = maxPrefix;
        if (slash >= 0 && !TryParsePrefix(entry.AsSpan(slash + 1), maxPrefix, out prefix))
        {
            error = $"trusted proxy '{entry}': the prefix length must be a number from 0 to {maxPrefix}";
            return false;
        }

        var masked = Mask(address, prefix);
        if (!masked.Equals(address))
        {
            error = $"trusted proxy '{entry}': bits are set past the /{prefix} prefix (the network is {masked}/{prefix})";
            return false;
        }

        if (address.IsIPv4MappedToIPv6 && prefix >= MappedPrefixLength)
        {
            (address, prefix) = (address.MapToIPv4(), prefix - MappedPrefixLength);
        }

        network = new IPNetwork(address, prefix);
        error = null;
        return true;
    }

    /// <summary>Whether <paramref name="address"/> is in the list; an IPv4-mapped IPv6 address is matched as IPv4.</summary>
    /// <param name="address">The peer's address.</param>
    /// <returns>Whether the peer is a trusted proxy.</returns>
    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        foreach (var network in _networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc/>
    public override string ToString() => string.Join(", ", _networks);

    private static bool TryParsePrefix(ReadOnlySpan<char> text, int max, out int prefix)
    {
        prefix = 0;
        return text.Length is >= 1 and <= 3
            && !text.ContainsAnyExceptInRange('0', '9')
            && (text.Length == 1 || text[0] != '0')
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out prefix)
            && prefix <= max;
    }

    private static IPAddress Mask(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var bits = Math.Clamp(prefix - (8 * i), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - bits));
        }

        return new IPAddress(bytes);
    }
}
