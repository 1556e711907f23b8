using GoplNet.Time;

namespace GoplNet.Tests.Time;

/// <summary>
/// Allocation counts of the steady state. The string API shares a process-wide cache of compiled
/// layouts with every other test (the golden tests alone compile thousands of layouts), so this
/// runs alone, as a program with its own few layouts would.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LayoutCacheGroup
{
    public const string Name = "layout cache";
}

[Collection(LayoutCacheGroup.Name)]
public sealed class GoTimeAllocationTests
{
    private static readonly DateTimeOffset Instant = new(2026, 11, 25, 8, 1, 2, TimeSpan.Zero);

    [Fact]
    public void TryFormat_allocates_nothing_in_the_steady_state()
    {
        var layout = GoTimeLayout.Compile("15:04:05\n");
        var tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        var zoned = GoTimeLayout.Compile(GoTimeFormat.RFC3339Nano + " MST");
        Span<byte> utf8 = stackalloc byte[zoned.MaxByteCount];
        Span<char> chars = stackalloc char[zoned.MaxByteCount];

        // The first calls read the zone file and fill the layout cache.
        Exercise(layout, zoned, tokyo, utf8, chars);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            Exercise(layout, zoned, tokyo, utf8, chars);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static void Exercise(GoTimeLayout layout, GoTimeLayout zoned, TimeZoneInfo zone, Span<byte> utf8, Span<char> chars)
    {
        Assert.True(layout.TryFormat(Instant, utf8, out _));
        Assert.True(zoned.TryFormat(Instant, zone, utf8, out _));
        Assert.True(zoned.TryFormat(Instant, zone, chars, out _));
        Assert.True(GoTimeFormat.TryFormat(Instant, utf8, out _, GoTimeFormat.RFC1123));
        Assert.True(GoTimeFormat.TryFormat(Instant, chars, out _, GoTimeFormat.RFC1123));
        Assert.True(GoTimeFormat.TryFormat(Instant, utf8, out _, "15:04:05\n"));
    }
}
