using System.Globalization;
using BenchmarkDotNet.Attributes;
using GoplNet.Time;

namespace GoplNet.Benchmarks.Time;

/// <summary>
/// GoTimeFormat next to .NET's own DateTimeOffset formatting and parsing with the equivalent
/// custom formats; Go's side of the comparison is Time/gobench (see Time/run.sh).
/// </summary>
[MemoryDiagnoser]
public class GoTimeFormatBenchmarks
{
    private static readonly DateTimeOffset Instant = new DateTimeOffset(2026, 11, 25, 8, 1, 2, TimeSpan.Zero).AddTicks(1_234_567);
    private static readonly GoTimeLayout Clock = GoTimeLayout.Compile("15:04:05\n");
    private readonly byte[] _utf8 = new byte[64];

    [Benchmark(Description = "GoTimeLayout.TryFormat \"15:04:05\\n\" UTF-8")]
    public int CompiledClockUtf8()
    {
        Clock.TryFormat(Instant, _utf8, out var written);
        return written;
    }

    [Benchmark(Description = "GoTimeFormat.TryFormat \"15:04:05\\n\" UTF-8 (string layout)")]
    public int StringClockUtf8()
    {
        GoTimeFormat.TryFormat(Instant, _utf8, out var written, "15:04:05\n");
        return written;
    }

    [Benchmark(Description = ".NET TryFormat \"HH:mm:ss\\n\" UTF-8")]
    public int DotNetClockUtf8()
    {
        Instant.TryFormat(_utf8, out var written, "HH:mm:ss\n", CultureInfo.InvariantCulture);
        return written;
    }

    [Benchmark(Description = "GoTimeFormat.Format RFC1123")]
    public string FormatRfc1123() => GoTimeFormat.Format(Instant, GoTimeFormat.RFC1123);

    [Benchmark(Description = ".NET ToString RFC1123-like")]
    public string DotNetRfc1123() => Instant.ToString("ddd, dd MMM yyyy HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    [Benchmark(Description = "GoTimeFormat.Format RFC3339Nano")]
    public string FormatRfc3339Nano() => GoTimeFormat.Format(Instant, GoTimeFormat.RFC3339Nano);

    [Benchmark(Description = ".NET ToString RFC3339Nano-like")]
    public string DotNetRfc3339Nano() => Instant.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", CultureInfo.InvariantCulture);

    [Benchmark(Description = "GoTimeFormat.Parse RFC3339")]
    public DateTimeOffset ParseRfc3339() => GoTimeFormat.Parse("2026-11-25T08:01:02+09:00", GoTimeFormat.RFC3339);

    [Benchmark(Description = ".NET ParseExact RFC3339")]
    public DateTimeOffset DotNetParseRfc3339() =>
        DateTimeOffset.ParseExact("2026-11-25T08:01:02+09:00", "yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    [Benchmark(Description = "GoTimeFormat.Parse RFC1123")]
    public DateTimeOffset ParseRfc1123() => GoTimeFormat.Parse("Wed, 25 Nov 2026 08:01:02 UTC", GoTimeFormat.RFC1123);

    [Benchmark(Description = ".NET ParseExact RFC1123-like")]
    public DateTimeOffset DotNetParseRfc1123() =>
        DateTimeOffset.ParseExact("Wed, 25 Nov 2026 08:01:02 UTC", "ddd, dd MMM yyyy HH:mm:ss 'UTC'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
