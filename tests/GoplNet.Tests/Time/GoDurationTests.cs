using GoplNet.Time;

namespace GoplNet.Tests.Time;

public sealed class GoDurationTests
{
    // Expected values are what Go's time.ParseDuration returns, in nanoseconds divided by 100.
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("5s", 50_000_000L)]
    [InlineData("30s", 300_000_000L)]
    [InlineData("1478s", 14_780_000_000L)]
    [InlineData("-5s", -50_000_000L)]
    [InlineData("+5s", 50_000_000L)]
    [InlineData("-0", 0L)]
    [InlineData("+0", 0L)]
    [InlineData("5.0s", 50_000_000L)]
    [InlineData("5.6s", 56_000_000L)]
    [InlineData("5.s", 50_000_000L)]
    [InlineData(".5s", 5_000_000L)]
    [InlineData("1.004s", 10_040_000L)]
    [InlineData("100.00100s", 1_000_010_000L)]
    [InlineData("10ns", 0L)]
    [InlineData("1100ns", 11L)]
    [InlineData("11us", 110L)]
    [InlineData("12µs", 120L)]
    [InlineData("12μs", 120L)]
    [InlineData("13ms", 130_000L)]
    [InlineData("14s", 140_000_000L)]
    [InlineData("15m", 9_000_000_000L)]
    [InlineData("16h", 576_000_000_000L)]
    [InlineData("3h30m", 126_000_000_000L)]
    [InlineData("10.5s4m", 2_505_000_000L)]
    [InlineData("-2m3.4s", -1_234_000_000L)]
    [InlineData("1h2m3s4ms5us6ns", 37_230_040_050L)]
    [InlineData("39h9m14.425s", 1_409_544_250_000L)]
    [InlineData("52763797000ns", 527_637_970L)]
    [InlineData("0.3333333333333333333h", 12_000_000_000L)]
    [InlineData("9223372036854775807ns", 92_233_720_368_547_758L)]
    [InlineData("-9223372036854775808ns", -92_233_720_368_547_758L)]
    public void Parse_reads_what_Go_reads(string text, long ticks)
    {
        Assert.Equal(TimeSpan.FromTicks(ticks), GoDuration.Parse(text));
        Assert.True(GoDuration.TryParse(text, out var parsed));
        Assert.Equal(TimeSpan.FromTicks(ticks), parsed);
    }

    [Theory]
    [InlineData("", "time: invalid duration \"\"")]
    [InlineData("3", "time: missing unit in duration \"3\"")]
    [InlineData("-", "time: invalid duration \"-\"")]
    [InlineData("s", "time: invalid duration \"s\"")]
    [InlineData(".", "time: invalid duration \".\"")]
    [InlineData("-.", "time: invalid duration \"-.\"")]
    [InlineData(".s", "time: invalid duration \".s\"")]
    [InlineData("+.s", "time: invalid duration \"+.s\"")]
    [InlineData("1d", "time: unknown unit \"d\" in duration \"1d\"")]
    [InlineData("3\u00e9", "time: unknown unit \"\\xc3\\xa9\" in duration \"3\\xc3\\xa9\"")]
    [InlineData("1.1.1s", "time: missing unit in duration \"1.1.1s\"")]
    [InlineData("9223372036854775808ns", "time: invalid duration \"9223372036854775808ns\"")]
    [InlineData("3000000h", "time: invalid duration \"3000000h\"")]
    public void Parse_rejects_what_Go_rejects_with_Go_message(string text, string message)
    {
        var error = Assert.Throws<FormatException>(() => GoDuration.Parse(text));
        Assert.Equal(message, error.Message);
        Assert.False(GoDuration.TryParse(text, out _));
    }

    [Fact]
    public void TryParse_of_null_is_false()
    {
        Assert.False(GoDuration.TryParse(null, out var result));
        Assert.Equal(TimeSpan.Zero, result);
    }

    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(10L, "1µs")]
    [InlineData(11L, "1.1µs")]
    [InlineData(22_000L, "2.2ms")]
    [InlineData(33_000_000L, "3.3s")]
    [InlineData(-33_000_000L, "-3.3s")]
    [InlineData(2_440_000_000L, "4m4s")]
    [InlineData(2_440_010_000L, "4m4.001s")]
    [InlineData(180_610_000_000L, "5h1m1s")]
    [InlineData(180_000_000_010L, "5h0m0.000001s")]
    [InlineData(1_409_544_250_000L, "39h9m14.425s")]
    public void Format_writes_what_Go_writes(long ticks, string expected)
    {
        Assert.Equal(expected, GoDuration.Format(TimeSpan.FromTicks(ticks)));
    }
}
