using System.Net;
using System.Net.Sockets;
using System.Text;
using GoplNet.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace GoplNet.Tests.Hosting;

public sealed class ProxyProtocolTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly byte[] Signature = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];
    private static readonly byte[] Command = "USER x\r\n"u8.ToArray();
    private const string LongestIPv6 = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";

    public static TheoryData<string, byte[], int, string?, string?> Valid => new()
    {
        { "v1 TCP4", "PROXY TCP4 192.0.2.10 198.51.100.1 56324 21\r\n"u8.ToArray(), 1, "192.0.2.10:56324", "198.51.100.1:21" },
        { "v1 TCP6", "PROXY TCP6 2001:db8::a 2001:db8:0:0:0:0:0:1 0 65535\r\n"u8.ToArray(), 1, "[2001:db8::a]:0", "[2001:db8::1]:65535" },
        {
            "v1 longest TCP6",
            Encoding.ASCII.GetBytes($"PROXY TCP6 {LongestIPv6} {LongestIPv6} 65535 65535\r\n"), 1, $"[{LongestIPv6}]:65535", $"[{LongestIPv6}]:65535"
        },
        { "v1 UNKNOWN", "PROXY UNKNOWN\r\n"u8.ToArray(), 1, null, null },
        { "v1 UNKNOWN with addresses", "PROXY UNKNOWN 2001:db8::a 2001:db8::1 56324 21\r\n"u8.ToArray(), 1, null, null },
        // The specification's limit: UNKNOWN followed by the longest addresses and ports.
        { "v1 107 bytes", Encoding.ASCII.GetBytes($"PROXY UNKNOWN {LongestIPv6} {LongestIPv6} 65535 65535\r\n"), 1, null, null },
        { "v2 IPv4", V2(0x21, 0x11, [192, 0, 2, 10, 198, 51, 100, 1, 0xDC, 0x04, 0x00, 0x15]), 2, "192.0.2.10:56324", "198.51.100.1:21" },
        {
            "v2 IPv4 with TLVs",
            V2(0x21, 0x11, [
                192, 0, 2, 10, 198, 51, 100, 1, 0xDC, 0x04, 0x00, 0x15,
                0x01, 0x00, 0x03, .. "ftp"u8, // ALPN
                0x04, 0x00, 0x05, 0, 0, 0, 0, 0, // NOOP padding
                0x05, 0x00, 0x00, // an empty unique id
                0xEE, 0x00, 0x02, 0xAB, 0xCD, // a custom type
            ]),
            2, "192.0.2.10:56324", "198.51.100.1:21"
        },
        {
            "v2 IPv6",
            V2(0x21, 0x21, [.. IPAddress.Parse("2001:db8::a").GetAddressBytes(), .. IPAddress.Parse("2001:db8::1").GetAddressBytes(), 0xFF, 0xFF, 0x00, 0x15]),
            2, "[2001:db8::a]:65535", "[2001:db8::1]:21"
        },
        { "v2 LOCAL", V2(0x20, 0x00, []), 2, null, null },
        // LOCAL's address block, whatever its family, means nothing.
        { "v2 LOCAL with IPv4", V2(0x20, 0x11, [192, 0, 2, 10, 198, 51, 100, 1, 0xDC, 0x04, 0x00, 0x15]), 2, null, null },
        { "v2 LOCAL with UNIX", V2(0x20, 0x31, new byte[216]), 2, null, null },
    };

    public static TheoryData<string, byte[], string> Malformed => new()
    {
        { "not a header", "GET / HTTP/1.0\r\n\r\n"u8.ToArray(), "did not start with a PROXY protocol header" },
        { "v1 lower case", "proxy TCP4 192.0.2.1 192.0.2.2 1 2\r\n"u8.ToArray(), "did not start with a PROXY protocol header" },
        { "v1 without CRLF", [.. "PROXY TCP4 "u8, .. Encoding.ASCII.GetBytes(new string('1', 200))], "without CRLF in its first 107 bytes" },
        { "v1 108 bytes", Encoding.ASCII.GetBytes($"PROXY UNKNOWN {LongestIPv6} {LongestIPv6} 65535 655355\r\n"), "without CRLF in its first 107 bytes" },
        { "v1 LF only", "PROXY TCP4 192.0.2.1 192.0.2.2 1 2\n"u8.ToArray(), "LF without CR" },
        { "v1 too short", "PROXY TCP4\r\nUSER x\r\n"u8.ToArray(), "too short" },
        { "v1 unknown protocol", "PROXY TCP5 192.0.2.1 192.0.2.2 1 2\r\n"u8.ToArray(), "unknown protocol 'TCP5'" },
        { "v1 missing port", "PROXY TCP4 192.0.2.1 192.0.2.2 1\r\n"u8.ToArray(), "has 3 fields after TCP4" },
        { "v1 double space", "PROXY TCP4 192.0.2.1  192.0.2.2 1 2\r\n"u8.ToArray(), "has 5 fields after TCP4" },
        { "v1 port too big", "PROXY TCP4 192.0.2.1 192.0.2.2 65536 2\r\n"u8.ToArray(), "source port '65536'" },
        { "v1 port leading zero", "PROXY TCP4 192.0.2.1 192.0.2.2 1 021\r\n"u8.ToArray(), "destination port '021'" },
        { "v1 port signed", "PROXY TCP4 192.0.2.1 192.0.2.2 +1 2\r\n"u8.ToArray(), "source port '+1'" },
        { "v1 port not a number", "PROXY TCP4 192.0.2.1 192.0.2.2 ftp 2\r\n"u8.ToArray(), "source port 'ftp'" },
        { "v1 IPv6 in TCP4", "PROXY TCP4 2001:db8::1 192.0.2.2 1 2\r\n"u8.ToArray(), "source address '2001:db8::1' is not an IPv4 address" },
        { "v1 IPv4 in TCP6", "PROXY TCP6 2001:db8::1 192.0.2.2 1 2\r\n"u8.ToArray(), "destination address '192.0.2.2' is not an IPv6 address" },
        { "v1 short IPv4", "PROXY TCP4 10.1 192.0.2.2 1 2\r\n"u8.ToArray(), "source address '10.1'" },
        { "v1 octal IPv4", "PROXY TCP4 010.0.0.1 192.0.2.2 1 2\r\n"u8.ToArray(), "source address '010.0.0.1'" },
        { "v1 scoped IPv6", "PROXY TCP6 fe80::1%2 2001:db8::2 1 2\r\n"u8.ToArray(), "source address 'fe80::1%2'" },
        { "v1 control byte", "PROXY TCP4 192.0.2.1\t192.0.2.2 1 2\r\n"u8.ToArray(), "holds the byte 0x09" },
        { "v2 bad signature", [.. Signature[..11], 0x0B, 0x21, 0x11, 0x00, 0x0C, .. new byte[12]], "bad v2 signature" },
        { "v2 version 1", V2(0x11, 0x11, new byte[12]), "version 1, not 2" },
        { "v2 version 3", V2(0x31, 0x11, new byte[12]), "version 3, not 2" },
        { "v2 command 2", V2(0x22, 0x11, new byte[12]), "command 2" },
        { "v2 unspecified family", V2(0x21, 0x00, []), "family/transport 0x00" },
        { "v2 UNIX family", V2(0x21, 0x31, new byte[216]), "family/transport 0x31" },
        { "v2 UDP", V2(0x21, 0x12, new byte[12]), "family/transport 0x12" },
        { "v2 length too big", [.. Signature, 0x21, 0x11, 0xFF, 0xFF, .. new byte[12]], "announces 65535 bytes" },
        { "v2 length past the bound", [.. Signature, 0x21, 0x11, 0x08, 0x01, .. new byte[12]], "announces 2049 bytes" },
        { "v2 IPv4 block too short", V2(0x21, 0x11, new byte[8]), "shorter than its 12-byte address block" },
        { "v2 IPv6 block too short", V2(0x21, 0x21, new byte[12]), "shorter than its 36-byte address block" },
        { "v2 TLV past the end", V2(0x21, 0x11, [.. new byte[12], 0x01, 0x00, 0x09, .. "ftp"u8]), "TLV of type 0x01 claims 9 bytes" },
        { "v2 stray bytes", V2(0x21, 0x11, [.. new byte[12], 0x04, 0x00]), "2 stray bytes" },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public async Task A_valid_header_is_read_and_the_command_after_it_left_unread(
        string name, byte[] bytes, int version, string? source, string? destination)
    {
        Assert.NotNull(name);
        var (client, server) = await PairAsync();
        using (client)
        using (server)
        {
            await SendAsync(client, [.. bytes, .. Command]);

            var header = await ReadAsync(server);

            // No addresses in the header (LOCAL, UNKNOWN): the connection's own.
            var expected = source is null || destination is null
                ? new ProxyHeader(version, false, (IPEndPoint)server.RemoteEndPoint!, (IPEndPoint)server.LocalEndPoint!)
                : new ProxyHeader(version, true, IPEndPoint.Parse(source), IPEndPoint.Parse(destination));
            Assert.Equal(expected, header);
            Assert.Equal(Command, await ReceiveAsync(server, Command.Length));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task A_header_sent_one_byte_at_a_time_is_read_whole(int version)
    {
        var (client, server) = await PairAsync();
        using (client)
        using (server)
        {
            client.NoDelay = true;
            byte[] header = version == 1
                ? "PROXY TCP4 192.0.2.10 198.51.100.1 56324 21\r\n"u8.ToArray()
                : V2(0x21, 0x11, [192, 0, 2, 10, 198, 51, 100, 1, 0xDC, 0x04, 0x00, 0x15, 0x04, 0x00, 0x01, 0x00]);
            var reading = ReadAsync(server);
            foreach (var b in (byte[])[.. header, .. Command])
            {
                await client.SendAsync(new[] { b });
            }

            var read = await reading;

            Assert.Equal(new ProxyHeader(version, true, Endpoint("192.0.2.10", 56324), Endpoint("198.51.100.1", 21)), read);
            Assert.Equal(Command, await ReceiveAsync(server, Command.Length));
        }
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task A_malformed_header_is_refused_with_its_reason(string name, byte[] bytes, string reason)
    {
        Assert.NotNull(name);
        var (client, server) = await PairAsync();
        using (client)
        using (server)
        {
            await client.SendAsync(bytes);
            // Were the reader to wait for more than the header it was given, it would fail on the end of the stream instead.
            client.Shutdown(SocketShutdown.Send);

            var error = await Assert.ThrowsAsync<ProxyProtocolException>(() => ReadAsync(server));

            Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("PROXY TCP4 192.0.2.10 198.5")]
    [InlineData("\r\n\r\n\0\r\nQUIT\n!\x11\0\x0c\xc0\0\x02")]
    public async Task A_peer_that_sends_half_a_header_then_nothing_times_out(string half)
    {
        var (client, server) = await PairAsync();
        using (client)
        using (server)
        {
            var time = new FakeTimeProvider();
            await client.SendAsync(Encoding.Latin1.GetBytes(half));
            var reading = ProxyProtocol.ReadAsync(server, TimeSpan.FromSeconds(5), time, CancellationToken.None);

            time.Advance(TimeSpan.FromSeconds(5));

            var error = await Assert.ThrowsAsync<ProxyProtocolException>(() => reading.WaitAsync(Timeout));
            Assert.Equal("no complete PROXY protocol header within 5s", error.Message);
        }
    }

    [Fact]
    public async Task A_peer_that_closes_mid_header_is_refused()
    {
        var (client, server) = await PairAsync();
        using (client)
        using (server)
        {
            await client.SendAsync("PROXY TCP4 192.0.2.10 198.5"u8.ToArray());
            client.Shutdown(SocketShutdown.Send);

            var error = await Assert.ThrowsAsync<ProxyProtocolException>(() => ReadAsync(server));

            Assert.Equal("the connection closed before the end of the PROXY protocol header", error.Message);
        }
    }

    [Fact]
    public async Task Cancelling_the_read_is_a_cancellation_not_a_bad_header()
    {
        var (client, server) = await PairAsync();
        using (client)
        using (server)
        {
            using var stopping = new CancellationTokenSource();
            var reading = ProxyProtocol.ReadAsync(server, Timeout, TimeProvider.System, stopping.Token);

            await stopping.CancelAsync();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading.WaitAsync(Timeout));
        }
    }

    [Fact]
    public async Task A_trusted_proxy_is_read()
    {
        var (client, server) = await PairAsync();
        using (client)
        using (server)
        {
            await client.SendAsync("PROXY TCP4 192.0.2.10 198.51.100.1 56324 21\r\n"u8.ToArray());

            var header = await ProxyProtocol.ReadAsync(server, TrustedProxies.Parse(["127.0.0.0/8"]), Timeout, TimeProvider.System, CancellationToken.None);

            Assert.Equal(Endpoint("192.0.2.10", 56324), header.Source);
        }
    }

    [Fact]
    public async Task A_peer_that_is_not_a_trusted_proxy_is_refused_before_anything_is_read()
    {
        var (client, server) = await PairAsync();
        using (client)
        using (server)
        {
            await SendAsync(client, [.. "PROXY TCP4 192.0.2.10 198.51.100.1 56324 21\r\n"u8, .. Command]);

            var error = await Assert.ThrowsAsync<ProxyProtocolException>(
                () => ProxyProtocol.ReadAsync(server, TrustedProxies.Parse(["10.0.0.0/8", "::1"]), Timeout, TimeProvider.System, CancellationToken.None));

            Assert.Equal("127.0.0.1 is not a trusted proxy", error.Message);
            Assert.Equal("PROXY TCP4"u8.ToArray(), await ReceiveAsync(server, 10));
        }
    }

    [Fact]
    public async Task The_stream_overload_reports_the_given_endpoints_for_LOCAL()
    {
        using var stream = new MemoryStream([.. V2(0x20, 0x00, []), .. Command]);
        var remote = Endpoint("203.0.113.7", 40000);
        var local = Endpoint("203.0.113.1", 21);

        var header = await ProxyProtocol.ReadAsync(stream, remote, local, Timeout, TimeProvider.System, CancellationToken.None);

        Assert.Equal(new ProxyHeader(2, false, remote, local), header);
        Assert.Equal(16, stream.Position);
    }

    internal static async Task<(Socket Client, Socket Server)> PairAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var cts = new CancellationTokenSource(Timeout);
        await client.ConnectAsync(listener.LocalEndPoint!, cts.Token);
        return (client, await listener.AcceptAsync(cts.Token));
    }

    /// <summary>Exactly <paramref name="count"/> bytes from the socket, or a failure after the time limit.</summary>
    internal static async Task<byte[]> ReceiveAsync(Socket socket, int count)
    {
        var buffer = new byte[count];
        using var cts = new CancellationTokenSource(Timeout);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await stream.ReadExactlyAsync(buffer, cts.Token);
        return buffer;
    }

    private static async Task SendAsync(Socket socket, byte[] bytes) => await socket.SendAsync(bytes);

    private static Task<ProxyHeader> ReadAsync(Socket server) =>
        ProxyProtocol.ReadAsync(server, Timeout, TimeProvider.System, CancellationToken.None);

    private static IPEndPoint Endpoint(string address, int port) => new(IPAddress.Parse(address), port);

    private static byte[] V2(byte versionCommand, byte family, byte[] block) =>
        [.. Signature, versionCommand, family, (byte)(block.Length >> 8), (byte)block.Length, .. block];
}
