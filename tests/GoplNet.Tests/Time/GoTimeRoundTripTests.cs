using GoplNet.Time;

namespace GoplNet.Tests.Time;

/// <summary>Format then Parse gives back the same instant and offset for every layout that carries both.</summary>
public sealed class GoTimeRoundTripTests
{
    public static TheoryData<string> FullLayouts() =>
    [
        GoTimeFormat.RFC3339Nano,
        "2006-01-02T15:04:05.0000000-07:00",
        "Monday, 02 January 2006 15:04:05.9999999 Z07:00",
        "002 2006 3:04:05.0000000PM -0700",
        "20060102150405.000000000Z0700",
    ];

    [Theory]
    [MemberData(nameof(FullLayouts))]
    public void Parse_of_Format_gives_back_the_instant_and_offset(string text)
    {
        var layout = GoTimeLayout.Compile(text);
        var random = new Random(20261125);
        for (var i = 0; i < 2_000; i++)
        {
            var ticks = random.NextInt64(DateTime.MinValue.Ticks + TimeSpan.TicksPerDay, DateTime.MaxValue.Ticks - TimeSpan.TicksPerDay);
            var offset = TimeSpan.FromMinutes(random.Next(-14 * 60, (14 * 60) + 1));
            var value = new DateTimeOffset(ticks, TimeSpan.Zero).ToOffset(offset);

            var parsed = layout.Parse(layout.Format(value));

            Assert.Equal(value.UtcTicks, parsed.UtcTicks);
            Assert.Equal(value.Offset, parsed.Offset);
        }
    }

    [Theory]
    [InlineData("America/New_York")]
    [InlineData("Australia/Lord_Howe")]
    [InlineData("Asia/Kathmandu")]
    public void ParseInLocation_of_a_zoned_Format_gives_back_the_instant(string zoneId)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var layout = GoTimeLayout.Compile("2006-01-02 15:04:05.0000000 -07:00");
        var random = new Random(7);
        for (var i = 0; i < 2_000; i++)
        {
            var ticks = random.NextInt64(new DateTime(1970, 1, 1).Ticks, new DateTime(2100, 1, 1).Ticks);
            var value = new DateTimeOffset(ticks, TimeSpan.Zero);

            var parsed = layout.ParseInLocation(layout.Format(value, zone), zone);

            Assert.Equal(value.UtcTicks, parsed.UtcTicks);
        }
    }

    [Fact]
    public void Parse_errors_carry_Go_text_and_TryParse_never_throws()
    {
        var error = Assert.Throws<GoTimeParseException>(() => GoTimeFormat.Parse("2026-02-30", GoTimeFormat.DateOnly));
        Assert.Equal("parsing time \"2026-02-30\": day out of range", error.Message);
        Assert.Equal("2026-02-30", error.Value);
        Assert.Equal(GoTimeFormat.DateOnly, error.Layout);
        Assert.IsAssignableFrom<FormatException>(error);

        Assert.False(GoTimeFormat.TryParse(null, GoTimeFormat.DateOnly, out _));
        Assert.False(GoTimeFormat.TryParse("10:00:00", GoTimeFormat.TimeOnly, out _));
        Assert.Throws<ArgumentNullException>(() => GoTimeFormat.TryParse("x", null!, out _));
    }
}
