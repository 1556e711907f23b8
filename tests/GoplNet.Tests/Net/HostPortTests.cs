using GoplNet.Net;

namespace GoplNet.Tests.Net;

public sealed class HostPortTests
{
    [Theory]
    [InlineData("localhost:8000", "localhost", 8000)]
    [InlineData("127.0.0.1:1", "127.0.0.1", 1)]
    [InlineData("[::1]:8000", "::1", 8000)]
    [InlineData("[fe80::1%lo]:65535", "fe80::1%lo", 65535)]
    [InlineData("clock.example:8010", "clock.example", 8010)]
    public void TryParse_reads_what_Go_dials(string text, string host, int port)
    {
        Assert.True(HostPort.TryParse(text, out var address));
        Assert.Equal(new HostPort(host, port), address);
        Assert.Equal(text, address.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("localhost")]
    [InlineData(":8000")]
    [InlineData("localhost:")]
    [InlineData("localhost:0")]
    [InlineData("localhost:65536")]
    [InlineData("localhost:http")]
    [InlineData("localhost:+80")]
    [InlineData("::1:8000")]
    [InlineData("[::1:8000")]
    [InlineData("[]:8000")]
    [InlineData("my host:8000")]
    public void TryParse_refuses_what_is_not_host_and_port(string? text)
    {
        Assert.False(HostPort.TryParse(text, out _));
        if (text is not null)
        {
            Assert.Throws<FormatException>(() => HostPort.Parse(text));
        }
    }

    [Theory]
    [InlineData("localhost:0", "the port 0 is out of range (1 to 65535)")]
    [InlineData("localhost:65536", "the port 65536 is out of range (1 to 65535)")]
    [InlineData("localhost:99999999999", "the port 99999999999 is out of range (1 to 65535)")]
    [InlineData("localhost:http", "the port 'http' is not a number")]
    [InlineData("localhost", "there is no port after the last ':'")]
    [InlineData("::1:8000", "an IPv6 host needs brackets, as [::1]:8000")]
    [InlineData(":8000", "the host is empty")]
    public void Parse_says_which_part_is_wrong(string text, string reason)
    {
        var error = Assert.Throws<FormatException>(() => HostPort.Parse(text));

        Assert.StartsWith($"'{text}' is not host:port: {reason}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(65_536)]
    public void The_constructor_refuses_a_port_a_client_cannot_connect_to(int port)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new HostPort("localhost", port));

        Assert.Equal("Port", error.ParamName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("my host")]
    public void The_constructor_refuses_an_empty_host_or_one_with_spaces(string host)
    {
        Assert.ThrowsAny<ArgumentException>(() => new HostPort(host, 8000));
        Assert.Throws<ArgumentNullException>(() => new HostPort(null!, 8000));
    }

    [Fact]
    public void A_with_expression_is_checked_as_the_constructor_is()
    {
        var address = new HostPort("localhost", 8000);

        Assert.Equal(new HostPort("localhost", 1), address with { Port = 1 });
        Assert.Equal("Port", Assert.Throws<ArgumentOutOfRangeException>(() => address with { Port = 0 }).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => address with { Port = 65_536 });
        Assert.Throws<ArgumentException>(() => address with { Host = "" });
    }
}
