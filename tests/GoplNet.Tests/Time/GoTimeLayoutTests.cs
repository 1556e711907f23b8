using GoplNet.Time;

namespace GoplNet.Tests.Time;

public sealed class GoTimeLayoutTests
{
    private static readonly DateTimeOffset Instant = new(2026, 11, 25, 8, 1, 2, TimeSpan.Zero);

    [Fact]
    public void TryFormat_reports_a_destination_too_small_without_writing_a_count()
    {
        var layout = GoTimeLayout.Compile(GoTimeFormat.RFC1123);
        Span<byte> small = stackalloc byte[10];

        Assert.False(layout.TryFormat(Instant, small, out var written));
        Assert.Equal(0, written);
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("hello", false)]
    [InlineData("Janet", false)]
    [InlineData("15", true)]
    [InlineData("at MST", true)]
    public void HasTimeElement_tells_whether_the_layout_shows_anything_of_the_time(string text, bool expected) =>
        Assert.Equal(expected, GoTimeLayout.Compile(text).HasTimeElement);

    [Fact]
    public void Compile_refuses_null() => Assert.Throws<ArgumentNullException>(() => GoTimeLayout.Compile(null!));

    [Fact]
    public void Format_in_a_null_zone_is_refused() =>
        Assert.Throws<ArgumentNullException>(() => GoTimeFormat.Format(Instant, GoTimeFormat.Kitchen, null!));

    [Theory]
    [InlineData(GoTimeFormat.Kitchen, "8:01AM")]
    [InlineData(GoTimeFormat.RFC1123, "Wed, 25 Nov 2026 08:01:02 UTC")]
    [InlineData(GoTimeFormat.RFC3339, "2026-11-25T08:01:02Z")]
    [InlineData("Jan _2 __2 002", "Nov 25 329 329")]
    public void Format_at_offset_zero_names_UTC_and_uses_Z(string layout, string expected) =>
        Assert.Equal(expected, GoTimeFormat.Format(Instant, layout));

    [Fact]
    public void Format_at_a_nonzero_offset_prints_the_numeric_zone_for_MST() =>
        Assert.Equal("17:01 +0900 +09:00", GoTimeFormat.Format(Instant.ToOffset(TimeSpan.FromHours(9)), "15:04 MST Z07:00"));

    [Fact]
    public void Format_in_a_zone_uses_the_tz_database_abbreviation() =>
        Assert.Equal("Wed, 25 Nov 2026 17:01:02 JST",
            GoTimeFormat.Format(Instant, GoTimeFormat.RFC1123, TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo")));

    [Fact]
    public void A_layout_text_in_a_new_string_formats_as_the_constant_does()
    {
        var built = new string(GoTimeFormat.RFC1123.AsSpan());

        Assert.NotSame(GoTimeFormat.RFC1123, built);
        Assert.Equal(GoTimeFormat.Format(Instant, GoTimeFormat.RFC1123), GoTimeFormat.Format(Instant, built));
        Assert.Equal(Instant, GoTimeFormat.Parse("Wed, 25 Nov 2026 08:01:02 UTC", built));
    }

    [Theory]
    [InlineData("2026 08:01:02.7", "2006 15:04:05.7", "parsing time \"2026 08:01:02.7\" as \"2006 15:04:05.7\": cannot parse \"\" as \".7\"")]
    [InlineData("Wed, 25 Nov 2026 08:01:02  UTC", GoTimeFormat.RFC1123, null)]
    [InlineData("Wed, 25 Nov 2026 8:01:02 UTC", GoTimeFormat.RFC1123, null)]
    [InlineData("WED, 25 nov 2026 08:01:02 UTC", GoTimeFormat.RFC1123, null)]
    [InlineData("WİD, 25 Nov 2026 08:01:02 UTC", GoTimeFormat.RFC1123, "parsing time \"W\\xc4\\xb0D, 25 Nov 2026 08:01:02 UTC\" as \"Mon, 02 Jan 2006 15:04:05 MST\": cannot parse \"W\\xc4\\xb0D, 25 Nov 2026 08:01:02 UTC\" as \"Mon\"")]
    [InlineData("2026-11-25T08:01:02.5Z", GoTimeFormat.RFC3339, null)]
    [InlineData("2026-11-25T08:01:02+25:00", GoTimeFormat.RFC3339, "parsing time \"2026-11-25T08:01:02+25:00\": time zone offset hour out of range")]
    [InlineData("2026-11-25T24:01:02Z", GoTimeFormat.RFC3339, "parsing time \"2026-11-25T24:01:02Z\": hour out of range")]
    public void Values_that_almost_fit_a_fixed_width_layout_read_as_Go_reads_them(string value, string layout, string? error)
    {
        var ok = GoTimeFormat.TryParse(value, layout, out var parsed);

        if (error is null)
        {
            Assert.True(ok);
            Assert.Equal(Instant.AddTicks(value.Contains(".5", StringComparison.Ordinal) ? TimeSpan.TicksPerSecond / 2 : 0), parsed);
        }
        else
        {
            Assert.False(ok);
            Assert.Equal(error, Assert.Throws<GoTimeParseException>(() => GoTimeFormat.Parse(value, layout)).Message);
        }
    }
}
