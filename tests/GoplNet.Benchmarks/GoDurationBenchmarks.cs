using BenchmarkDotNet.Attributes;
using GoplNet.Time;

namespace GoplNet.Benchmarks;

/// <summary>Go duration parsing next to .NET's own TimeSpan parsing of the same length.</summary>
[MemoryDiagnoser]
public class GoDurationBenchmarks
{
    [Benchmark]
    public TimeSpan GoDurationParse() => GoDuration.Parse("1h2m3.5s");

    [Benchmark(Baseline = true)]
    public TimeSpan TimeSpanParse() => TimeSpan.Parse("01:02:03.5", System.Globalization.CultureInfo.InvariantCulture);
}
