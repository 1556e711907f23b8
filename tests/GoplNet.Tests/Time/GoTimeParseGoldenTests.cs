using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using GoplNet.Time;

namespace GoplNet.Tests.Time;

/// <summary>
/// Compares GoTimeFormat's parsing with Go's time.Parse and time.ParseInLocation over generated
/// values and their mutations (Golden/parse.jsonl): the same instant and offset, or Go's error text.
/// </summary>
public sealed partial class GoTimeParseGoldenTests
{
    private static readonly JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Fact]
    public void Parse_and_ParseInLocation_agree_with_Go_on_every_golden_case()
    {
        var lines = File.ReadAllLines(Path.Combine(ThisFolder(), "Golden", "parse.jsonl"));
        var cases = lines.Skip(1).Select(l => JsonSerializer.Deserialize<ParseCase>(l)!).ToList();

        // The generator ran time.Parse with Local = UTC; zone names in values depend on Local.
        var localIsUtc = TimeZoneInfo.Local.BaseUtcOffset == TimeSpan.Zero && TimeZoneInfo.Local.Id.Contains("UTC", StringComparison.Ordinal);
        var failures = new List<string>();
        var checkedCount = 0;
        foreach (var c in cases)
        {
            if (c.Zone is null && !localIsUtc && c.Layout.Contains("MST", StringComparison.Ordinal))
            {
                continue;
            }

            checkedCount++;
            var outcome = Run(c, out var parsed, out var message);
            var tryOk = c.Zone is null
                ? GoTimeFormat.TryParse(c.Value, c.Layout, out var viaTry)
                : GoTimeFormat.TryParseInLocation(c.Value, c.Layout, TimeZoneInfo.FindSystemTimeZoneById(c.Zone), out viaTry);
            if (c.OffsetAt > 0 && NewerGoOffsetOutOfRange(c.Value, c.OffsetAt, c.OffsetElement!) is { } field)
            {
                var expected = $"parsing time {GoQuoteOf(c.Value, quoted: true)}: time zone offset {field} out of range";
                if (outcome || tryOk || message != expected)
                {
                    failures.Add(Describe(c, outcome ? $"parsed {parsed:O}" : message) + $" (newer Go: {expected})");
                }
            }
            else if (c.Error is not null)
            {
                if (NewerGoReadsFurther(c))
                {
                    continue;
                }

                // Newer Go checks offset fields (hours to 24, minutes and seconds to 60); Go 1.19 did not. Where
                // the data does not say where the zone begins (mutated values), any such error is taken.
                if (c.OffsetAt == 0 && !outcome && message!.Contains(": time zone offset ", StringComparison.Ordinal)
                    && message.EndsWith(" out of range", StringComparison.Ordinal))
                {
                    continue;
                }

                if (outcome || tryOk || !(message == c.Error || NewerGoQuotesMore(c.Error, message!, c.Value)))
                {
                    failures.Add(Describe(c, outcome ? $"parsed {parsed:O}" : message));
                }
            }
            else if (!c.Representable)
            {
                // Go's result lies outside DateTimeOffset (or, for offsets past 24 h, newer Go rejects it too).
                if (outcome || tryOk)
                {
                    failures.Add(Describe(c, outcome ? $"parsed {parsed:O}" : message) + " (Go's result is outside DateTimeOffset)");
                }
            }
            else if (!outcome || parsed.UtcTicks != c.Ticks || parsed.Offset != TimeSpan.FromSeconds(c.Offset) || !tryOk || viaTry != parsed)
            {
                failures.Add(Describe(c, outcome ? $"parsed {parsed.UtcTicks} offset {parsed.Offset}" : message));
            }
        }

        Assert.True(checkedCount > 3000, "the golden data is missing");
        Assert.True(failures.Count == 0, $"{failures.Count} of {checkedCount} differ from Go:\n{string.Join('\n', failures.Take(25))}");
    }

    /// <summary>
    /// Newer Go quotes the value from where the failing element began, Go 1.19 from where it
    /// stopped reading: the same message, with Go 1.19's quoted text a suffix of ours.
    /// </summary>
    internal static bool NewerGoQuotesMore(string go119, string ours, string value)
    {
        var goMatch = CannotParse().Match(go119);
        var ourMatch = CannotParse().Match(ours);
        if (!goMatch.Success || !ourMatch.Success || goMatch.Groups["head"].Value != ourMatch.Groups["head"].Value
            || goMatch.Groups["tail"].Value != ourMatch.Groups["tail"].Value)
        {
            return false;
        }

        var quotedValue = GoQuoteOf(value);
        var ourElement = ourMatch.Groups["element"].Value;
        return ourElement.EndsWith(goMatch.Groups["element"].Value, StringComparison.Ordinal)
            && quotedValue.EndsWith(ourElement, StringComparison.Ordinal);
    }

    /// <summary>
    /// Where newer Go releases read zone offsets and fractions differently from Go 1.19, so the
    /// outcome differs by design: "Z" for the Z070000 and Z07:00:00 forms, exactly two digits (no
    /// sign) in each field of a numeric offset, and more than nine digits for a .999 fraction.
    /// Those cases only have to parse or fail cleanly.
    /// </summary>
    private static bool NewerGoReadsFurther(ParseCase c)
    {
        var match = CannotParse().Match(c.Error!);
        var tail = match.Success ? match.Groups["tail"].Value : string.Empty;
        var zoneZ = tail is " as \"Z070000\"" or " as \"Z07:00:00\"";
        var signInOffset = c.Layout.Contains("07", StringComparison.Ordinal) && SignInsideOffset().IsMatch(c.Value);
        var longFraction = (c.Layout.Contains(".9", StringComparison.Ordinal) || c.Layout.Contains(",9", StringComparison.Ordinal))
            && LongFraction().IsMatch(c.Value);
        return zoneZ || signInOffset || longFraction;
    }

    /// <summary>
    /// The field newer Go releases (1.23 on) report out of range for a numeric zone element
    /// starting at <paramref name="at"/>, or <see langword="null"/>. Their rule: after the length and
    /// colon checks, the two-digit fields are read in order (hour, minute, second) until one is not
    /// two digits; an hour past 24 or a minute or second past 60 is reported, the last such field
    /// winning, before a malformed field or sign is. A "Z" stands for UTC in the ISO 8601 forms.
    /// </summary>
    private static string? NewerGoOffsetOutOfRange(string value, int at, string element)
    {
        // A space before the element in the layout takes every space in the value.
        var v = value[at - 1] == ' ' ? value[at..].TrimStart(' ') : value[at..];
        if (element[0] == 'Z' && v.StartsWith('Z'))
        {
            return null;
        }

        var shape = element[1..];
        if (v.Length < shape.Length + 1)
        {
            return null;
        }

        // Where the hour, minute and second digits sit after the sign.
        int[] starts = shape switch
        {
            "07" => [1],
            "0700" => [1, 3],
            "070000" => [1, 3, 5],
            "07:00" => [1, 4],
            _ => [1, 4, 7],
        };
        if (shape.Contains(':', StringComparison.Ordinal) && (v[3] != ':' || (shape.Length > 5 && v[6] != ':')))
        {
            return null;
        }

        string? field = null;
        string[] names = ["hour", "minute", "second"];
        int[] limits = [24, 60, 60];
        for (var f = 0; f < starts.Length; f++)
        {
            var (a, b) = (v[starts[f]], v[starts[f] + 1]);
            if (!char.IsAsciiDigit(a) || !char.IsAsciiDigit(b))
            {
                break;
            }

            if (((a - '0') * 10) + (b - '0') > limits[f])
            {
                field = names[f];
            }
        }

        return field;
    }

    private static string GoQuoteOf(string value, bool quoted = false)
    {
        var builder = new System.Text.StringBuilder();
        if (quoted)
        {
            builder.Append('"');
        }

        foreach (var b in System.Text.Encoding.UTF8.GetBytes(value))
        {
            if (b >= 0x80 || b < ' ')
            {
                builder.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\x{b:x2}");
            }
            else
            {
                if (b is (byte)'"' or (byte)'\\')
                {
                    builder.Append('\\');
                }

                builder.Append((char)b);
            }
        }

        return quoted ? builder.Append('"').ToString() : builder.ToString();
    }

    [System.Text.RegularExpressions.GeneratedRegex("[.,][0-9]{10,}")]
    private static partial System.Text.RegularExpressions.Regex LongFraction();

    [System.Text.RegularExpressions.GeneratedRegex("[+-][0-9]?[+-]|:[+-]|[+-][0-9]{2}:?[+-]|[+-][0-9]{2}:?[0-9]{2}:?[+-]")]
    private static partial System.Text.RegularExpressions.Regex SignInsideOffset();

    [System.Text.RegularExpressions.GeneratedRegex("^(?<head>parsing time \"(?:[^\"\\\\]|\\\\.)*\" as \"(?:[^\"\\\\]|\\\\.)*\": cannot parse )\"(?<element>(?:[^\"\\\\]|\\\\.)*)\"(?<tail> as \".*)$", System.Text.RegularExpressions.RegexOptions.Singleline)]
    private static partial System.Text.RegularExpressions.Regex CannotParse();

    private static bool Run(ParseCase c, out DateTimeOffset parsed, out string? message)
    {
        try
        {
            parsed = c.Zone is null
                ? GoTimeFormat.Parse(c.Value, c.Layout)
                : GoTimeFormat.ParseInLocation(c.Value, c.Layout, TimeZoneInfo.FindSystemTimeZoneById(c.Zone));
            message = null;
            return true;
        }
        catch (GoTimeParseException e)
        {
            parsed = default;
            message = e.Message;
            return false;
        }
    }

    private static string Describe(ParseCase c, string? ours) =>
        $"value {JsonSerializer.Serialize(c.Value, Readable)} layout {JsonSerializer.Serialize(c.Layout, Readable)} zone {c.Zone}: " +
        $"Go {(c.Error is null ? $"{c.Ticks} offset {c.Offset}" : JsonSerializer.Serialize(c.Error, Readable))}, ours {JsonSerializer.Serialize(ours, Readable)}";

    private static string ThisFolder([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    private sealed record ParseCase(
        [property: JsonPropertyName("value")] string Value,
        [property: JsonPropertyName("layout")] string Layout,
        [property: JsonPropertyName("zone")] string? Zone,
        [property: JsonPropertyName("ticks")] long Ticks,
        [property: JsonPropertyName("offset")] int Offset,
        [property: JsonPropertyName("error")] string? Error,
        [property: JsonPropertyName("representable")] bool Representable,
        [property: JsonPropertyName("offsetAt")] int OffsetAt,
        [property: JsonPropertyName("offsetElement")] string? OffsetElement);
}
