using System.Net;
using GoplNet.Hosting;

namespace GoplNet.Tests.Hosting;

public sealed class TrustedProxiesTests
{
    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1", true)]
    [InlineData("127.0.0.1", "::ffff:127.0.0.1", true)]
    [InlineData("127.0.0.1", "127.0.0.2", false)]
    [InlineData("127.0.0.1", "::1", false)]
    [InlineData("10.0.0.0/8", "10.255.1.2", true)]
    [InlineData("10.0.0.0/8", "::ffff:10.0.0.9", true)]
    [InlineData("10.0.0.0/8", "11.0.0.1", false)]
    [InlineData(" 192.168.0.0/16 ", "192.168.44.1", true)]
    [InlineData("0.0.0.0/0", "203.0.113.5", true)]
    [InlineData("::1", "::1", true)]
    [InlineData("::1", "127.0.0.1", false)]
    [InlineData("fd00::/8", "fd12:3456::1", true)]
    [InlineData("fd00::/8", "fe80::1", false)]
    [InlineData("::ffff:192.0.2.0/120", "192.0.2.7", true)]
    [InlineData("::ffff:192.0.2.0/120", "::ffff:192.0.2.7", true)]
    [InlineData("::ffff:192.0.2.0/120", "192.0.3.7", false)]
    public void An_entry_matches_the_addresses_in_its_network(string entry, string peer, bool trusted)
    {
        var proxies = TrustedProxies.Parse([entry]);

        Assert.Equal(trusted, proxies.Contains(IPAddress.Parse(peer)));
    }

    [Theory]
    [InlineData("", "a trusted proxy entry is empty")]
    [InlineData("localhost", "trusted proxy 'localhost': 'localhost' is not an IPv4 or IPv6 address")]
    [InlineData("10", "trusted proxy '10': '10' is not an IPv4 or IPv6 address")]
    [InlineData("010.0.0.1", "trusted proxy '010.0.0.1': '010.0.0.1' is not an IPv4 or IPv6 address")]
    [InlineData("fe80::1%eth0", "trusted proxy 'fe80::1%eth0': 'fe80::1%eth0' is not an IPv4 or IPv6 address")]
    [InlineData("[::1]", "trusted proxy '[::1]': '[::1]' is not an IPv4 or IPv6 address")]
    [InlineData("10.0.0.0/33", "trusted proxy '10.0.0.0/33': the prefix length must be a number from 0 to 32")]
    [InlineData("10.0.0.0/08", "trusted proxy '10.0.0.0/08': the prefix length must be a number from 0 to 32")]
    [InlineData("10.0.0.0/", "trusted proxy '10.0.0.0/': the prefix length must be a number from 0 to 32")]
    [InlineData("10.0.0.0/8/8", "trusted proxy '10.0.0.0/8/8': the prefix length must be a number from 0 to 32")]
    [InlineData("fd00::/129", "trusted proxy 'fd00::/129': the prefix length must be a number from 0 to 128")]
    [InlineData("10.1.2.3/8", "trusted proxy '10.1.2.3/8': bits are set past the /8 prefix (the network is 10.0.0.0/8)")]
    [InlineData("fd12::/8", "trusted proxy 'fd12::/8': bits are set past the /8 prefix (the network is fd00::/8)")]
    public void A_bad_entry_is_refused_with_a_message_naming_it(string entry, string message)
    {
        Assert.False(TrustedProxies.TryParseEntry(entry, out _, out var error));
        Assert.Equal(message, error);
    }

    [Fact]
    public void Parse_reports_every_bad_entry_at_once()
    {
        var error = Assert.Throws<FormatException>(() => TrustedProxies.Parse(["127.0.0.1", "nope", "::1", "10.0.0.1/8"]));

        Assert.Equal(
            ["trusted proxy 'nope': 'nope' is not an IPv4 or IPv6 address", "trusted proxy '10.0.0.1/8': bits are set past the /8 prefix (the network is 10.0.0.0/8)"],
            error.Message.Split(Environment.NewLine));
    }

    [Fact]
    public void An_IPv4_mapped_entry_is_kept_as_IPv4_and_an_address_as_a_network_of_one()
    {
        var proxies = TrustedProxies.Parse(["::ffff:10.0.0.0/104", "::1", "192.0.2.1"]);

        Assert.Equal("10.0.0.0/8, ::1/128, 192.0.2.1/32", proxies.ToString());
    }

    [Fact]
    public void No_peer_is_trusted_by_the_empty_list()
    {
        Assert.False(TrustedProxies.None.Contains(IPAddress.Loopback));
        Assert.Empty(TrustedProxies.Parse([]).Networks);
    }
}
