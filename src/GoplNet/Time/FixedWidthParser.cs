namespace GoplNet.Time;

/// <summary>
/// The fast path for reading values of layouts whose elements all take a fixed number of
/// characters (<see cref="GoTimeFormat.RFC1123"/>, <see cref="GoTimeFormat.RFC3339"/>,
/// <c>"2006-01-02 15:04:05"</c>): each field is read at its place, with no scanning. It accepts only
/// values that match the layout character for character with every field in range, which the
/// general parser reads to the same instant; anything else (a missing zero, extra spaces, a
/// fraction, a zone name other than UTC, an error) is left to the general parser, which gives
/// Go's result or error text, as Go's own RFC 3339 fast path does.
/// </summary>
internal sealed class FixedWidthParser
{
    private static readonly long[] MonthKeys = [.. GoNames.Months.Select(m => Key(m))];
    private static readonly long[] DayKeys = [.. GoNames.Days.Select(d => Key(d))];

    private readonly int _length;

    /// <summary>Where the layout's literal characters sit in a value, and which they are.</summary>
    private readonly (int Position, char Char)[] _literals;
    private readonly (int Position, LayoutElement Element)[] _fields;

    /// <summary>Whether the layout ends in an ISO 8601 zone, which a value may give as a bare "Z".</summary>
    private readonly bool _endsWithIsoZone;
    private readonly int _zoneWidth;

    private FixedWidthParser(char[] template, (int, LayoutElement)[] fields, bool endsWithIsoZone, int zoneWidth)
    {
        _length = template.Length;
        _literals = [.. template.Select((c, i) => (i, c)).Where(l => l.c != '\0')];
        _fields = fields;
        _endsWithIsoZone = endsWithIsoZone;
        _zoneWidth = zoneWidth;
    }

    /// <summary>The fast path for a layout, or <see langword="null"/> when an element's width varies.</summary>
    public static FixedWidthParser? TryCreate(IReadOnlyList<LayoutChunk> chunks)
    {
        var template = new List<char>();
        var fields = new List<(int, LayoutElement)>();
        var endsWithIsoZone = false;
        var zoneWidth = 0;
        for (var i = 0; i < chunks.Count; i++)
        {
            var chunk = chunks[i];
            var last = i == chunks.Count - 1;
            var width = chunk.Element switch
            {
                LayoutElement.None => 0,
                LayoutElement.WeekDay or LayoutElement.Month or LayoutElement.ZoneName => 3,
                LayoutElement.ZeroDay or LayoutElement.ZeroMonth or LayoutElement.Hour or LayoutElement.ZeroMinute
                    or LayoutElement.ZeroSecond or LayoutElement.Year => 2,
                LayoutElement.LongYear => 4,
                LayoutElement.NumZone => 5,
                LayoutElement.NumColonZone => 6,
                LayoutElement.Iso8601Zone when last => 5,
                LayoutElement.Iso8601ColonZone when last => 6,
                _ => -1,
            };

            // Go reads a fraction the layout does not ask for after the seconds: "05.7" is no fixed text.
            var fractionMayFollow = chunk.Element == LayoutElement.ZeroSecond && !last && chunks[i + 1].Literal is ['.' or ',', ..];
            if (width < 0 || fractionMayFollow)
            {
                return null;
            }

            template.AddRange(chunk.Literal);
            if (width > 0)
            {
                fields.Add((template.Count, chunk.Element));
                template.AddRange(new string('\0', width));
                endsWithIsoZone = chunk.Element is LayoutElement.Iso8601Zone or LayoutElement.Iso8601ColonZone;
                zoneWidth = width;
            }
        }

        return fields.Count == 0 ? null : new FixedWidthParser([.. template], [.. fields], endsWithIsoZone, zoneWidth);
    }

    /// <summary>Reads <paramref name="value"/> when it fits the fast path; <see langword="false"/> leaves it to the general parser.</summary>
    public bool TryParse(ReadOnlySpan<char> value, TzifZone? defaultZone, TimeZoneInfo? defaultInfo, TimeZoneInfo namesZone, out DateTimeOffset result)
    {
        result = default;
        var utc = _endsWithIsoZone && value.Length == _length - _zoneWidth + 1 && value[^1] == 'Z';
        if (value.Length != _length && !utc)
        {
            return false;
        }

        foreach (var (position, c) in _literals)
        {
            if (value[position] != c)
            {
                return false;
            }
        }

        int year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0, zoneOffset = -1;
        foreach (var (position, element) in _fields)
        {
            var at = value[position..];
            int high;
            var ok = true;
            switch (element)
            {
                case LayoutElement.LongYear:
                    ok = LayoutParser.TryTwoDigits(at[..2], out high) & LayoutParser.TryTwoDigits(at[2..4], out year);
                    year += high * 100;
                    break;
                case LayoutElement.Year:
                    ok = LayoutParser.TryTwoDigits(at[..2], out year);
                    year += year >= 69 ? 1900 : 2000;
                    break;
                case LayoutElement.ZeroMonth:
                    ok = LayoutParser.TryTwoDigits(at[..2], out month) && month is >= 1 and <= 12;
                    break;
                case LayoutElement.Month:
                    month = ThreeLetterName(MonthKeys, at) + 1;
                    ok = month > 0;
                    break;
                case LayoutElement.WeekDay:
                    ok = ThreeLetterName(DayKeys, at) >= 0;
                    break;
                case LayoutElement.ZeroDay:
                    ok = LayoutParser.TryTwoDigits(at[..2], out day);
                    break;
                case LayoutElement.Hour:
                    ok = LayoutParser.TryTwoDigits(at[..2], out hour) && hour < 24;
                    break;
                case LayoutElement.ZeroMinute:
                    ok = LayoutParser.TryTwoDigits(at[..2], out minute) && minute < 60;
                    break;
                case LayoutElement.ZeroSecond:
                    ok = LayoutParser.TryTwoDigits(at[..2], out second) && second < 60;
                    break;
                case LayoutElement.ZoneName:
                    ok = utc = at.StartsWith("UTC");
                    break;
                default:
                    ok = utc || TryOffset(element, at, out zoneOffset);
                    break;
            }

            if (!ok)
            {
                return false;
            }
        }

        return LayoutParser.TryResolve(
            value, new WallClock(year, month, day, hour, minute, second, 0), utc, zoneOffset, null, defaultZone, defaultInfo, namesZone, out result, out _);
    }

    /// <summary>Which of the names <paramref name="keys"/> stand for the three letters at the start of <paramref name="at"/> spell, in either case; -1 for none.</summary>
    private static int ThreeLetterName(long[] keys, ReadOnlySpan<char> at) => Array.IndexOf(keys, Key(at));

    /// <summary>
    /// Three characters with the ASCII case bit set, one in each 16 bits: equal to a name's key only
    /// for that name's letters in either case, as Go's <c>match</c> compares (no other character
    /// gives a letter's code when the bit is set).
    /// </summary>
    private static long Key(ReadOnlySpan<char> s) => ((long)(s[0] | 0x20) << 32) | ((long)(s[1] | 0x20) << 16) | (long)(s[2] | 0x20);

    /// <summary>A numeric offset of the form <c>-0700</c> or <c>-07:00</c> within the ranges newer Go accepts.</summary>
    private static bool TryOffset(LayoutElement element, ReadOnlySpan<char> at, out int offset)
    {
        offset = 0;
        var colon = element is LayoutElement.NumColonZone or LayoutElement.Iso8601ColonZone;
        if ((colon && at[3] != ':') || !LayoutParser.TryTwoDigits(at[1..3], out var hours)
            || !LayoutParser.TryTwoDigits(colon ? at[4..6] : at[3..5], out var minutes) || hours > 24 || minutes > 60)
        {
            return false;
        }

        offset = ((hours * 60) + minutes) * 60;
        switch (at[0])
        {
            case '+':
                return true;
            case '-':
                offset = -offset;
                return true;
            default:
                return false;
        }
    }
}
