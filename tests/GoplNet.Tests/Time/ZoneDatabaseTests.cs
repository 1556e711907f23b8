using GoplNet.Time;

namespace GoplNet.Tests.Time;

/// <summary>Changes TZDIR for the whole process, so it runs alone: other tests look zones up too.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentGroup
{
    public const string Name = "process environment";
}

[Collection(ProcessEnvironmentGroup.Name)]
public sealed class ZoneDatabaseTests
{
    [Fact]
    public void A_zone_under_TZDIR_is_read_from_there_with_its_abbreviations()
    {
        // A copy of Tokyo's TZif file under a name only this TZDIR has.
        var tzdir = Path.Combine(Path.GetTempPath(), "goplnet-tzdir-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(tzdir, "Gopl"));
        File.Copy("/usr/share/zoneinfo/Asia/Tokyo", Path.Combine(tzdir, "Gopl", "Test"));
        var previous = Environment.GetEnvironmentVariable("TZDIR");
        try
        {
            Environment.SetEnvironmentVariable("TZDIR", tzdir);
            var zone = TimeZoneInfo.CreateCustomTimeZone("Gopl/Test", TimeSpan.FromHours(9), "Gopl/Test", "JST");

            var text = GoTimeFormat.Format(new DateTimeOffset(1951, 5, 6, 0, 0, 0, TimeSpan.Zero), "15:04 MST", zone);

            // 1951 was a daylight-saving year in Japan: only the tz file knows "JDT".
            Assert.Equal("10:00 JDT", text);
        }
        finally
        {
            Environment.SetEnvironmentVariable("TZDIR", previous);
            Directory.Delete(tzdir, recursive: true);
        }
    }

    [Fact]
    public void A_custom_zone_without_a_file_uses_its_own_offset_and_a_numeric_name()
    {
        var zone = TimeZoneInfo.CreateCustomTimeZone("Nowhere/Custom", TimeSpan.FromMinutes(330), "Custom", "Custom");

        Assert.Equal("05:30 +0530", GoTimeFormat.Format(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), "15:04 MST", zone));
    }
}
