using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using GoplNet.Time;

namespace GoplNet.Tests.Time;

/// <summary>
/// Compares the JSON converters with Go's encoding/json over Golden/json.jsonl: documents Go's
/// json.Marshal wrote for records of random instants (read back to the same instants, written
/// again byte for byte) and hand-written documents at the edges of UnmarshalJSON (the same
/// instants, or a failure where Go failed). Runs with the source-generated context and with reflection.
/// </summary>
public sealed class GoTimeJsonGoldenTests
{
    public static TheoryData<string> Resolvers => ["source-generated", "reflection"];

    [Theory]
    [MemberData(nameof(Resolvers))]
    public void Json_written_by_Go_reads_to_Gos_instants_and_writes_back_byte_for_byte(string resolver)
    {
        var options = Options(resolver);
        var failures = new List<string>();
        var cases = Load();
        foreach (var c in cases)
        {
            GoJsonRecord? record;
            GoJsonDateTimeRecord? dateTimes;
            try
            {
                record = JsonSerializer.Deserialize(c.Json, (JsonTypeInfo<GoJsonRecord>)options.GetTypeInfo(typeof(GoJsonRecord)));
                dateTimes = JsonSerializer.Deserialize(c.Json, (JsonTypeInfo<GoJsonDateTimeRecord>)options.GetTypeInfo(typeof(GoJsonDateTimeRecord)));
            }
            catch (JsonException e)
            {
                if (c.Times is not null)
                {
                    failures.Add($"{c.Json}: Go read it, ours failed: {e.Message}");
                }

                continue;
            }

            if (c.Times is null)
            {
                failures.Add($"{c.Json}: Go failed ({c.Error}), ours read it");
                continue;
            }

            Compare(failures, c, "at", record!.At);
            Compare(failures, c, "optional", record.Optional);
            Compare(failures, c, "omitted", record.Omitted);
            Compare(failures, c, "day", record.Day);
            Compare(failures, c, "minute", record.Minute);
            Compare(failures, c, "mail", record.Mail);
            Compare(failures, c, "web", record.Web);
            Compare(failures, c, "stamp", record.Stamp);
            CompareUtc(failures, c, "at", dateTimes!.At);
            CompareUtc(failures, c, "optional", dateTimes.Optional);
            CompareUtc(failures, c, "day", dateTimes.Day);
            CompareUtc(failures, c, "mail", dateTimes.Mail);

            if (c.Marshalled && JsonSerializer.Serialize(record, (JsonTypeInfo<GoJsonRecord>)options.GetTypeInfo(typeof(GoJsonRecord))) is var ours && ours != c.Json)
            {
                failures.Add($"Go wrote {c.Json}\nours     {ours}");
            }
        }

        Assert.True(cases.Count(c => c.Marshalled) >= 200 && cases.Count(c => c.Error is not null) >= 10, "the golden data is missing");
        Assert.True(failures.Count == 0, $"{failures.Count} differ from Go:\n{string.Join('\n', failures.Take(20))}");
    }

    private static readonly JsonSerializerOptions SourceGenerated = new()
    {
        TypeInfoResolver = GoJsonContext.Default.WithAddedModifier(GoTimeJsonAttribute.ApplyLayouts),
    };

    private static readonly JsonSerializerOptions Reflection = new()
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { GoTimeJsonAttribute.ApplyLayouts } },
    };

    internal static JsonSerializerOptions Options(string resolver) => resolver == "reflection" ? Reflection : SourceGenerated;

    private static void Compare(List<string> failures, GoldenJson c, string field, DateTimeOffset? ours)
    {
        var go = c.Times!.GetValueOrDefault(field);
        var same = go is null ? ours is null : ours is { } value && value.UtcTicks == go[0] && value.Offset == TimeSpan.FromSeconds(go[1]);
        if (!same)
        {
            failures.Add($"{c.Json}: {field} is Go's {(go is null ? "null" : $"{go[0]} offset {go[1]}")}, ours {ours?.UtcTicks} offset {ours?.Offset}");
        }
    }

    private static void CompareUtc(List<string> failures, GoldenJson c, string field, DateTime? ours)
    {
        var go = c.Times!.GetValueOrDefault(field);
        // A field absent from the document keeps default(DateTime), whose kind is Unspecified.
        var same = go is null ? ours is null : ours is { } value && value.Ticks == go[0] && (value.Kind == DateTimeKind.Utc || value == default);
        if (!same)
        {
            failures.Add($"{c.Json}: {field} as DateTime is Go's {go?[0]}, ours {ours?.Ticks} ({ours?.Kind})");
        }
    }

    private static List<GoldenJson> Load([CallerFilePath] string path = "") =>
        [.. File.ReadLines(Path.Combine(Path.GetDirectoryName(path)!, "Golden", "json.jsonl")).Skip(1).Select(l => JsonSerializer.Deserialize<GoldenJson>(l, Web)!)];

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private sealed record GoldenJson(string Json, bool Marshalled, Dictionary<string, long[]>? Times, string? Error);
}
