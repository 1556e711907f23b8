using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GoplNet.Hosting;

/// <summary>
/// Reads the PROXY protocol header (HAProxy's specification, versions 1 and 2) that a TCP load balancer
/// sends first on every connection it forwards, and returns the real client's endpoints.
/// </summary>
/// <remarks>
/// The reader never consumes a byte past the header, so the application protocol that follows
/// (an FTP client's first command, say) is still in the socket for the session to read. A version 1
/// header is read one byte at a time once its fixed part is in; a version 2 header in exactly the
/// length it announces. Every read is bounded by a timeout, so a peer that sends half a header
/// cannot hold a connection open.
/// </remarks>
internal static class ProxyProtocol
{
    /// <summary>The longest version 1 header, CRLF included (the specification's limit).</summary>
    public const int MaxV1Length = 107;

    /// <summary>
    /// The longest version 2 address block with its TLVs, in bytes after the 16-byte fixed part.
    /// The specification allows 65535; real balancers send well under this (an IPv6 block is 36 bytes,
    /// HAProxy's TLVs with SSL details a few hundred), and a bound keeps a peer from making us read 64 KiB.
    /// </summary>
    public const int MaxV2Length = 2048;

    private const int V2FixedLength = 16;

    // Both versions are told apart by their first six bytes; no valid v1 header is shorter than "PROXY UNKNOWN\r\n".
    private const int PrefixLength = 6;
    private const int MinV1Length = 15;

    private static ReadOnlySpan<byte> V1Prefix => "PROXY "u8;

    private static ReadOnlySpan<byte> V2Signature => [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    /// <summary>
    /// Reads the header from a connection just accepted from a trusted proxy: a peer that is not in
    /// <paramref name="trustedProxies"/> is refused before a byte is read, so nobody else can claim an address.
    /// </summary>
    /// <param name="socket">The accepted connection; nothing must have been read from it yet.</param>
    /// <param name="trustedProxies">The proxies allowed to send a header.</param>
    /// <param name="timeout">How long the whole header may take to arrive.</param>
    /// <param name="timeProvider">The clock the timeout runs on.</param>
    /// <param name="cancellationToken">Ends the read (the server is stopping).</param>
    /// <returns>The header; for LOCAL and UNKNOWN, the socket's own endpoints.</returns>
    /// <exception cref="ProxyProtocolException">The peer is not trusted, or the header is malformed, incomplete in time, or cut short.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<ProxyHeader> ReadAsync(
        Socket socket, TrustedProxies trustedProxies, TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(trustedProxies);
        var peer = (IPEndPoint)socket.RemoteEndPoint!;
        if (!trustedProxies.Contains(peer.Address))
        {
            throw new ProxyProtocolException($"{peer.Address} is not a trusted proxy");
        }

        return await ReadAsync(socket, timeout, timeProvider, cancellationToken);
    }

    /// <summary>Reads the header from a connection just accepted.</summary>
    /// <param name="socket">The accepted connection; nothing must have been read from it yet.</param>
    /// <param name="timeout">How long the whole header may take to arrive.</param>
    /// <param name="timeProvider">The clock the timeout runs on.</param>
    /// <param name="cancellationToken">Ends the read (the server is stopping).</param>
    /// <returns>The header; for LOCAL and UNKNOWN, the socket's own endpoints.</returns>
    /// <exception cref="ProxyProtocolException">The header is malformed, incomplete in time, or cut short.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<ProxyHeader> ReadAsync(Socket socket, TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(socket);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        return await ReadAsync(
            stream, (IPEndPoint)socket.RemoteEndPoint!, (IPEndPoint)socket.LocalEndPoint!, timeout, timeProvider, cancellationToken);
    }

    /// <summary>Reads the header from the start of a stream.</summary>
    /// <param name="stream">The connection; nothing must have been read from it yet.</param>
    /// <param name="remote">The connection's own peer, reported for LOCAL and UNKNOWN.</param>
    /// <param name="local">The connection's own local endpoint, reported for LOCAL and UNKNOWN.</param>
    /// <param name="timeout">How long the whole header may take to arrive.</param>
    /// <param name="timeProvider">The clock the timeout runs on.</param>
    /// <param name="cancellationToken">Ends the read (the server is stopping).</param>
    /// <returns>The header; for LOCAL and UNKNOWN, <paramref name="remote"/> and <paramref name="local"/>.</returns>
    /// <exception cref="ProxyProtocolException">The header is malformed, incomplete in time, or cut short.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<ProxyHeader> ReadAsync(
        Stream stream, IPEndPoint remote, IPEndPoint local, TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(remote);
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(timeProvider);
        using var timeoutSource = new CancellationTokenSource(timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        try
        {
            return await ReadHeaderAsync(stream, remote, local, linked.Token);
        }
        catch (OperationCanceledException) when (timeoutSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ProxyProtocolException($"no complete PROXY protocol header within {timeout.TotalSeconds:0.###}s");
        }
        catch (EndOfStreamException e)
        {
            throw new ProxyProtocolException("the connection closed before the end of the PROXY protocol header", e);
        }
    }

    private static async Task<ProxyHeader> ReadHeaderAsync(Stream stream, IPEndPoint remote, IPEndPoint local, CancellationToken cancellationToken)
    {
        var buffer = new byte[Math.Max(MaxV1Length, V2FixedLength)];
        await stream.ReadExactlyAsync(buffer.AsMemory(0, PrefixLength), cancellationToken);
        if (buffer.AsSpan(0, PrefixLength).SequenceEqual(V1Prefix))
        {
            var length = await ReadV1LineAsync(stream, buffer, cancellationToken);
            return ParseV1(buffer.AsSpan(0, length), remote, local);
        }

        if (buffer.AsSpan(0, PrefixLength).SequenceEqual(V2Signature[..PrefixLength]))
        {
            await stream.ReadExactlyAsync(buffer.AsMemory(PrefixLength, V2FixedLength - PrefixLength), cancellationToken);
            var (command, family, length) = ParseV2Fixed(buffer.AsSpan(0, V2FixedLength));
            var block = new byte[length];
            await stream.ReadExactlyAsync(block, cancellationToken);
            return ParseV2Block(command, family, block, remote, local);
        }

        throw new ProxyProtocolException("the connection did not start with a PROXY protocol header");
    }

    /// <summary>Reads the rest of a v1 line into <paramref name="buffer"/>, which holds its first six bytes; returns the line's length.</summary>
    private static async Task<int> ReadV1LineAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        await stream.ReadExactlyAsync(buffer.AsMemory(PrefixLength, MinV1Length - PrefixLength), cancellationToken);
        var length = MinV1Length;
        if (buffer.AsSpan(0, length - 1).Contains((byte)'\n'))
        {
            throw new ProxyProtocolException("PROXY protocol v1 header too short");
        }

        // One byte at a time from here: the line's end is unknown, and what follows it belongs to the session.
        while (buffer[length - 1] != '\n')
        {
            if (length == MaxV1Length)
            {
                throw new ProxyProtocolException($"PROXY protocol v1 header without CRLF in its first {MaxV1Length} bytes");
            }

            await stream.ReadExactlyAsync(buffer.AsMemory(length, 1), cancellationToken);
            length++;
        }

        return length;
    }

    private static ProxyHeader ParseV1(ReadOnlySpan<byte> line, IPEndPoint remote, IPEndPoint local)
    {
        if (line[^2] != '\r')
        {
            throw new ProxyProtocolException("PROXY protocol v1 header ends in LF without CR");
        }

        var body = line[..^2];
        foreach (var b in body)
        {
            if (b is < 0x20 or > 0x7E)
            {
                throw new ProxyProtocolException($"PROXY protocol v1 header holds the byte 0x{b:X2}");
            }
        }

        var fields = Encoding.ASCII.GetString(body).Split(' ');
        var family = fields[1] switch
        {
            "TCP4" => AddressFamily.InterNetwork,
            "TCP6" => AddressFamily.InterNetworkV6,
            // The proxy does not know the client (a health check, or a protocol it cannot describe): the rest is ignored.
            "UNKNOWN" => AddressFamily.Unknown,
            _ => throw new ProxyProtocolException($"PROXY protocol v1 header with unknown protocol '{Truncate(fields[1])}'"),
        };
        if (family == AddressFamily.Unknown)
        {
            return new ProxyHeader(1, false, remote, local);
        }

        if (fields.Length != 6)
        {
            throw new ProxyProtocolException(
                $"PROXY protocol v1 header has {fields.Length - 2} fields after {fields[1]}, not 4 (source, destination, ports) separated by single spaces");
        }

        var source = new IPEndPoint(ParseV1Address(fields[2], family, "source"), ParseV1Port(fields[4], "source"));
        var destination = new IPEndPoint(ParseV1Address(fields[3], family, "destination"), ParseV1Port(fields[5], "destination"));
        return new ProxyHeader(1, true, source, destination);
    }

    private static IPAddress ParseV1Address(string text, AddressFamily family, string which)
    {
        if (!IPAddressText.TryParse(text, out var address) || address.AddressFamily != family)
        {
            var expected = family == AddressFamily.InterNetwork ? "an IPv4" : "an IPv6";
            throw new ProxyProtocolException($"PROXY protocol v1 {which} address '{Truncate(text)}' is not {expected} address");
        }

        return address;
    }

    private static int ParseV1Port(string text, string which)
    {
        // Decimal as HAProxy writes it: 1 to 5 digits, no sign, no leading zero, at most 65535.
        if (text.Length is >= 1 and <= 5
            && !text.AsSpan().ContainsAnyExceptInRange('0', '9')
            && (text.Length == 1 || text[0] != '0')
            && int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
            && port <= IPEndPoint.MaxPort)
        {
            return port;
        }

        throw new ProxyProtocolException($"PROXY protocol v1 {which} port '{Truncate(text)}' is not a number from 0 to 65535");
    }

    /// <summary>Checks the 16-byte fixed part of a v2 header; returns its command, family byte and block length.</summary>
    private static (int Command, byte Family, int Length) ParseV2Fixed(ReadOnlySpan<byte> header)
    {
        if (!header[..V2Signature.Length].SequenceEqual(V2Signature))
        {
            throw new ProxyProtocolException("the connection did not start with a PROXY protocol header (bad v2 signature)");
        }

        var version = header[12] >> 4;
        var command = header[12] & 0x0F;
        if (version != 2)
        {
            throw new ProxyProtocolException($"PROXY protocol binary header with version {version}, not 2");
        }

        if (command > 1)
        {
            throw new ProxyProtocolException($"PROXY protocol v2 header with command {command}, neither LOCAL (0) nor PROXY (1)");
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(header[14..]);
        if (length > MaxV2Length)
        {
            throw new ProxyProtocolException($"PROXY protocol v2 header announces {length} bytes of addresses and TLVs, more than {MaxV2Length}");
        }

        return (command, header[13], length);
    }

    private static ProxyHeader ParseV2Block(int command, byte family, ReadOnlySpan<byte> block, IPEndPoint remote, IPEndPoint local)
    {
        // LOCAL: the balancer speaking for itself (a health check); its address block, if any, means nothing.
        if (command == 0)
        {
            return new ProxyHeader(2, false, remote, local);
        }

        // High nibble: address family (1 INET, 2 INET6); low nibble: transport (1 STREAM).
        var addressLength = family switch
        {
            0x11 => 4,
            0x21 => 16,
            _ => throw new ProxyProtocolException(
                $"PROXY protocol v2 header with address family/transport 0x{family:X2}: only TCP over IPv4 (0x11) or IPv6 (0x21) is accepted"),
        };
        var blockLength = (2 * addressLength) + 4;
        if (block.Length < blockLength)
        {
            throw new ProxyProtocolException(
                $"PROXY protocol v2 header length {block.Length} is shorter than its {blockLength}-byte address block");
        }

        var source = new IPEndPoint(
            new IPAddress(block[..addressLength]),
            BinaryPrimitives.ReadUInt16BigEndian(block[(2 * addressLength)..]));
        var destination = new IPEndPoint(
            new IPAddress(block.Slice(addressLength, addressLength)),
            BinaryPrimitives.ReadUInt16BigEndian(block[((2 * addressLength) + 2)..]));
        CheckTlvs(block[blockLength..]);
        return new ProxyHeader(2, true, source, destination);
    }

    /// <summary>Walks the TLVs after the address block without interpreting them: each must fit in the header.</summary>
    private static void CheckTlvs(ReadOnlySpan<byte> tlvs)
    {
        while (!tlvs.IsEmpty)
        {
            if (tlvs.Length < 3)
            {
                throw new ProxyProtocolException($"PROXY protocol v2 header ends with {tlvs.Length} stray bytes after its TLVs");
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(tlvs[1..]);
            if (length > tlvs.Length - 3)
            {
                throw new ProxyProtocolException(
                    $"PROXY protocol v2 TLV of type 0x{tlvs[0]:X2} claims {length} bytes, more than the {tlvs.Length - 3} left in the header");
            }

            tlvs = tlvs[(3 + length)..];
        }
    }

    /// <summary>Peer-controlled text in a message, cut short so one bad header cannot flood the log.</summary>
    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
