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
}
