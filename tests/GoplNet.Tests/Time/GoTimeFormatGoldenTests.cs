using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using GoplNet.Time;

namespace GoplNet.Tests.Time;

/// <summary>
/// Compares GoTimeFormat with what Go itself printed for a generated matrix of instants, layouts
/// and zones (Golden/format.jsonl, written by Golden/generator/main.go). Go is not needed here.
/// </summary>
public sealed class GoTimeFormatGoldenTests
{
    private static readonly Lazy<(string Tzdata, List<GoldenCase> Cases)> Golden = new(Load);
    private static readonly JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Fact]
    public void Format_at_the_instants_own_offset_equals_Go_for_every_golden_case()
    {
        var failures = new List<string>();
        var cases = Golden.Value.Cases.Where(c => c.Zone is null).ToList();
        foreach (var c in cases)
        {
            var value = new DateTimeOffset(c.Ticks, TimeSpan.Zero).ToOffset(TimeSpan.FromSeconds(c.Offset));
            Check(failures, c, GoTimeFormat.Format(value, c.Layout));
            Check(failures, c, FormatWithSpans(GoTimeLayout.Compile(c.Layout), value, null));
        }

        Assert.True(cases.Count > 2000, "the golden data is missing");
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} differ from Go:\n{string.Join('\n', failures.Take(25))}");
    }

    [Fact]
    public void Format_in_a_zone_equals_Go_with_the_same_tz_database()
    {
        var (tzdata, all) = Golden.Value;
        var failures = new List<string>();
        var cases = all.Where(c => c.Zone is not null).ToList();
        foreach (var c in cases)
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById(c.Zone!);
            var value = new DateTimeOffset(c.Ticks, TimeSpan.Zero);
            Check(failures, c, GoTimeFormat.Format(value, c.Layout, zone));
            Check(failures, c, FormatWithSpans(GoTimeLayout.Compile(c.Layout), value, zone));
        }

        var machine = MachineTzdataVersion();
        Assert.True(cases.Count > 2000, "the golden data is missing");
        Assert.True(failures.Count == 0,
            $"{failures.Count} of {cases.Count} differ from Go (data from tzdata {tzdata}, this machine has {machine}; " +
            $"after a tzdata upgrade, regenerate with Golden/generator):\n{string.Join('\n', failures.Take(25))}");
    }

    private static string FormatWithSpans(GoTimeLayout layout, DateTimeOffset value, TimeZoneInfo? zone)
    {
        var chars = new char[layout.MaxByteCount];
        var bytes = new byte[layout.MaxByteCount];
        var charsOk = zone is null ? layout.TryFormat(value, chars, out var charCount) : layout.TryFormat(value, zone, chars, out charCount);
        var bytesOk = zone is null ? layout.TryFormat(value, bytes, out var byteCount) : layout.TryFormat(value, zone, bytes, out byteCount);
        var text = new string(chars, 0, charCount);
        return charsOk && bytesOk && text == Encoding.UTF8.GetString(bytes, 0, byteCount) ? text : "<span formatting disagrees>";
    }

    private static void Check(List<string> failures, GoldenCase c, string actual)
    {
        if (actual != c.Out)
        {
            failures.Add($"ticks {c.Ticks} offset {c.Offset} zone {c.Zone} layout {JsonSerializer.Serialize(c.Layout, Readable)}: Go {JsonSerializer.Serialize(c.Out, Readable)}, ours {JsonSerializer.Serialize(actual, Readable)}");
        }
    }

    private static (string, List<GoldenCase>) Load()
    {
        var path = Path.Combine(ThisFolder(), "Golden", "format.jsonl");
        var lines = File.ReadAllLines(path);
        var header = JsonDocument.Parse(lines[0]).RootElement;
        var cases = lines.Skip(1).Select(l => JsonSerializer.Deserialize<GoldenCase>(l)!).ToList();
        return (header.GetProperty("tzdata").GetString()!, cases);
    }

    private static string MachineTzdataVersion()
    {
        var path = "/usr/share/zoneinfo/tzdata.zi";
        return File.Exists(path) ? File.ReadLines(path).First().Replace("# version ", string.Empty, StringComparison.Ordinal) : "unknown";
    }

    private static string ThisFolder([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    private sealed record GoldenCase(
        [property: System.Text.Json.Serialization.JsonPropertyName("ticks")] long Ticks,
        [property: System.Text.Json.Serialization.JsonPropertyName("offset")] int Offset,
        [property: System.Text.Json.Serialization.JsonPropertyName("zone")] string? Zone,
        [property: System.Text.Json.Serialization.JsonPropertyName("layout")] string Layout,
        [property: System.Text.Json.Serialization.JsonPropertyName("out")] string Out);
}
