namespace GoplNet.Time;

/// <summary>
/// Reads a value with a compiled layout, as Go's <c>time.Parse</c> and <c>time.ParseInLocation</c>
/// do, with Go's error texts. Never throws for bad input: failures come back as the message.
/// </summary>
internal static class LayoutParser
{
    /// <summary>What follows the last chunk: no text and no element.</summary>
    private static readonly LayoutChunk End = new(string.Empty, [], LayoutElement.None, string.Empty, 0, '\0');

    /// <summary>
    /// Parses <paramref name="value"/>. <paramref name="defaultZone"/> applies when the value names
    /// no zone; <paramref name="namesZone"/> is the zone whose abbreviations are recognised (Go's
    /// <c>Local</c> for Parse, the location for ParseInLocation), read only when a value names one.
    /// </summary>
    public static bool TryParse(
        LayoutChunk[] chunks, string layout, ReadOnlySpan<char> value, TzifZone? defaultZone, TimeZoneInfo? defaultInfo,
        TimeZoneInfo namesZone, out DateTimeOffset result, out string? error)
    {
        result = default;
        var v = value;
        var year = 0;
        int month = -1, day = -1, yearDay = -1, hour = 0, minute = 0, second = 0, nanosecond = 0;
        var utc = false;
        var zoneOffset = -1;
        string? zoneName = null;
        bool amSet = false, pmSet = false;

        for (var i = 0; ; i++)
        {
            ref readonly var chunk = ref i < chunks.Length ? ref chunks[i] : ref End;
            var literal = chunk.Literal;
            if (!Skip(ref v, literal))
            {
                error = CannotParse(value, layout, v.ToString(), literal);
                return false;
            }

            if (i >= chunks.Length || chunk.Element == LayoutElement.None)
            {
                if (!v.IsEmpty)
                {
                    error = $"parsing time {GoQuote.Quote(value)}: extra text: {GoQuote.Quote(v.ToString())}";
                    return false;
                }

                break;
            }

            var hold = v;
            var ok = true;
            string? range = null;
            switch (chunk.Element)
            {
                case LayoutElement.Year:
                    if (v.Length < 2 || !TryAtoi(v[..2], out year))
                    {
                        ok = false;
                        break;
                    }

                    v = v[2..];
                    year += year >= 69 ? 1900 : 2000;
                    break;
                case LayoutElement.LongYear:
                    if (v.Length < 4 || !char.IsAsciiDigit(v[0]) || !TryAtoi(v[..4], out year))
                    {
                        ok = false;
                        break;
                    }

                    v = v[4..];
                    break;
                case LayoutElement.Month:
                    ok = TryLookup(GoNames.Months, ref v, out month);
                    month++;
                    break;
                case LayoutElement.LongMonth:
                    ok = TryLookup(GoNames.LongMonths, ref v, out month);
                    month++;
                    break;
                case LayoutElement.NumMonth or LayoutElement.ZeroMonth:
                    ok = TryNumber(ref v, chunk.Element == LayoutElement.ZeroMonth, out month);
                    if (ok && month is <= 0 or > 12)
                    {
                        range = "month";
                    }

                    break;
                case LayoutElement.WeekDay:
                    // The weekday is checked for form only, as in Go.
                    ok = TryLookup(GoNames.Days, ref v, out _);
                    break;
                case LayoutElement.LongWeekDay:
                    ok = TryLookup(GoNames.LongDays, ref v, out _);
                    break;
                case LayoutElement.Day or LayoutElement.UnderDay or LayoutElement.ZeroDay:
                    if (chunk.Element == LayoutElement.UnderDay && !v.IsEmpty && v[0] == ' ')
                    {
                        v = v[1..];
                    }

                    ok = TryNumber(ref v, chunk.Element == LayoutElement.ZeroDay, out day);
                    break;
                case LayoutElement.UnderYearDay or LayoutElement.ZeroYearDay:
                    for (var space = 0; space < 2; space++)
                    {
                        if (chunk.Element == LayoutElement.UnderYearDay && !v.IsEmpty && v[0] == ' ')
                        {
                            v = v[1..];
                        }
                    }

                    ok = TryNumber3(ref v, chunk.Element == LayoutElement.ZeroYearDay, out yearDay);
                    break;
                case LayoutElement.Hour:
                    ok = TryNumber(ref v, false, out hour);
                    if (hour is < 0 or >= 24)
                    {
                        range = "hour";
                    }

                    break;
                case LayoutElement.Hour12 or LayoutElement.ZeroHour12:
                    ok = TryNumber(ref v, chunk.Element == LayoutElement.ZeroHour12, out hour);
                    if (hour is < 0 or > 12)
                    {
                        range = "hour";
                    }

                    break;
                case LayoutElement.Minute or LayoutElement.ZeroMinute:
                    ok = TryNumber(ref v, chunk.Element == LayoutElement.ZeroMinute, out minute);
                    if (minute is < 0 or >= 60)
                    {
                        range = "minute";
                    }

                    break;
                case LayoutElement.Second or LayoutElement.ZeroSecond:
                    ok = TryNumber(ref v, chunk.Element == LayoutElement.ZeroSecond, out second);
                    if (!ok)
                    {
                        break;
                    }

                    if (second is < 0 or >= 60)
                    {
                        range = "second";
                        break;
                    }

                    // A fractional second in the value that the layout does not ask for is read here.
                    var next = i + 1 < chunks.Length ? chunks[i + 1].Element : LayoutElement.None;
                    if (v.Length >= 2 && v[0] is '.' or ',' && char.IsAsciiDigit(v[1])
                        && next is not (LayoutElement.FractionZeros or LayoutElement.FractionNines))
                    {
                        var n = 2;
                        while (n < v.Length && char.IsAsciiDigit(v[n]))
                        {
                            n++;
                        }

                        ok = TryNanoseconds(v, n, out nanosecond, ref range);
                        v = v[n..];
                    }

                    break;
                case LayoutElement.PM or LayoutElement.LowerPM:
                    var upper = chunk.Element == LayoutElement.PM;
                    if (v.Length < 2)
                    {
                        ok = false;
                        break;
                    }

                    var marker = v[..2];
                    v = v[2..];
                    if (marker.SequenceEqual(upper ? "PM" : "pm"))
                    {
                        pmSet = true;
                    }
                    else if (marker.SequenceEqual(upper ? "AM" : "am"))
                    {
                        amSet = true;
                    }
                    else
                    {
                        ok = false;
                    }

                    break;
                case LayoutElement.ZoneName:
                    if (v.StartsWith("UTC"))
                    {
                        utc = true;
                        v = v[3..];
                        break;
                    }

                    var length = ZoneNameLength(v);
                    if (length <= 0)
                    {
                        ok = false;
                        break;
                    }

                    zoneName = v[..length].ToString();
                    v = v[length..];
                    break;
                case LayoutElement.FractionZeros:
                    var digits = 1 + chunk.Digits;
                    if (v.Length < digits)
                    {
                        ok = false;
                        break;
                    }

                    ok = TryNanoseconds(v, digits, out nanosecond, ref range);
                    v = v[digits..];
                    break;
                case LayoutElement.FractionNines:
                    if (v.Length < 2 || v[0] is not ('.' or ',') || !char.IsAsciiDigit(v[1]))
                    {
                        // The fraction is optional.
                        break;
                    }

                    // Any number of digits, as for a fraction the layout does not mention (Go 1.19 stopped at nine).
                    var count = 0;
                    while (count + 1 < v.Length && char.IsAsciiDigit(v[count + 1]))
                    {
                        count++;
                    }

                    ok = TryNanoseconds(v, 1 + count, out nanosecond, ref range);
                    v = v[(1 + count)..];
                    break;
                default:
                    ok = TryZoneOffset(chunk.Element, ref v, ref utc, ref zoneOffset, ref range);
                    break;
            }

            if (range is not null)
            {
                error = $"parsing time {GoQuote.Quote(value)}: {range} out of range";
                return false;
            }

            if (!ok)
            {
                error = CannotParse(value, layout, hold.ToString(), chunk.ElementText);
                return false;
            }
        }

        if (pmSet && hour < 12)
        {
            hour += 12;
        }
        else if (amSet && hour == 12)
        {
            hour = 0;
        }

        if (yearDay >= 0)
        {
            if (!TryYearDay(year, yearDay, ref month, ref day, out error, value))
            {
                return false;
            }
        }
        else
        {
            month = month < 0 ? 1 : month;
            day = day < 0 ? 1 : day;
        }

        return TryResolve(value, new WallClock(year, month, day, hour, minute, second, nanosecond), utc, zoneOffset, zoneName, defaultZone, defaultInfo, namesZone, out result, out error);
    }

    /// <summary>
    /// The instant of a wall-clock time read from <paramref name="value"/>: at UTC, at
    /// <paramref name="zoneOffset"/> (-1: none given), at the zone named <paramref name="zoneName"/>,
    /// or else in the default zone, as Go's <c>time.parse</c> ends.
    /// </summary>
    internal static bool TryResolve(
        ReadOnlySpan<char> value, in WallClock t, bool utc, int zoneOffset, string? zoneName, TzifZone? defaultZone, TimeZoneInfo? defaultInfo,
        TimeZoneInfo namesZone, out DateTimeOffset result, out string? error)
    {
        result = default;
        var (year, month, day, hour, minute, second, nanosecond) = t;
        if (day < 1 || day > DaysIn(month, year))
        {
            error = $"parsing time {GoQuote.Quote(value)}: day out of range";
            return false;
        }

        if (year < 1)
        {
            error = $"parsing time {GoQuote.Quote(value)}: year {year} cannot be represented by DateTimeOffset (years 1 to 9999)";
            return false;
        }

        // Seconds of the wall-clock time counted as if it were UTC, and the ticks below a second.
        var local = ((new DateTime(year, month, day).Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond) + (hour * 3600L) + (minute * 60L) + second;
        var subTicks = nanosecond / 100;
        long unix;
        int offset;
        if (utc)
        {
            (unix, offset) = (local, 0);
        }
        else if (zoneOffset != -1)
        {
            (unix, offset) = (local - zoneOffset, zoneOffset);
        }
        else if (zoneName is not null)
        {
            var localZone = ZoneDatabase.Find(namesZone);
            if (localZone is not null && localZone.TryLookupName(zoneName, local, out var named))
            {
                // The name fixes the instant; the result then shows the zone's own offset at it.
                unix = local - named;
                offset = localZone.Lookup(unix).Offset;
            }
            else
            {
                // An unknown abbreviation records no offset, except GMT+h.
                var gmt = zoneName.Length > 3 && zoneName.StartsWith("GMT", StringComparison.Ordinal)
                    ? int.Parse(zoneName.AsSpan(3), System.Globalization.CultureInfo.InvariantCulture) * 3600
                    : 0;
                (unix, offset) = (local, gmt);
            }
        }
        else if (defaultZone is not null)
        {
            unix = defaultZone.ToUtc(local);
            offset = defaultZone.Lookup(unix).Offset;
        }
        else if (defaultInfo is not null)
        {
            // A zone with no tz file: its own rules; a time in a gap takes the standard offset.
            var wall = DateTime.SpecifyKind(DateTime.UnixEpoch.AddSeconds(local), DateTimeKind.Unspecified);
            var before = defaultInfo.IsInvalidTime(wall) ? defaultInfo.BaseUtcOffset : defaultInfo.GetUtcOffset(wall);
            unix = local - (long)before.TotalSeconds;
            offset = (int)defaultInfo.GetUtcOffset(DateTime.UnixEpoch.AddSeconds(unix)).TotalSeconds;
        }
        else
        {
            (unix, offset) = (local, 0);
        }

        return TryRepresent(value, unix, subTicks, offset, out result, out error);
    }

    private static bool TryRepresent(ReadOnlySpan<char> value, long unix, int subTicks, int offset, out DateTimeOffset result, out string? error)
    {
        result = default;
        if (offset % 60 != 0 || Math.Abs(offset) > 14 * 3600)
        {
            error = $"parsing time {GoQuote.Quote(value)}: zone offset {offset} s cannot be represented by DateTimeOffset (whole minutes within ±14 h)";
            return false;
        }

        var ticks = DateTime.UnixEpoch.Ticks + (unix * TimeSpan.TicksPerSecond) + subTicks;
        var localTicks = ticks + (offset * TimeSpan.TicksPerSecond);
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks || localTicks < DateTime.MinValue.Ticks || localTicks > DateTime.MaxValue.Ticks)
        {
            error = $"parsing time {GoQuote.Quote(value)}: the instant cannot be represented by DateTimeOffset (years 1 to 9999)";
            return false;
        }

        result = new DateTimeOffset(localTicks, TimeSpan.FromSeconds(offset));
        error = null;
        return true;
    }

    private static bool TryYearDay(int year, int yearDay, ref int month, ref int day, out string? error, ReadOnlySpan<char> value)
    {
        error = null;
        int m = 0, d = 0;
        if (IsLeap(year))
        {
            if (yearDay == 31 + 29)
            {
                (m, d) = (2, 29);
            }
            else if (yearDay > 31 + 29)
            {
                yearDay--;
            }
        }

        if (yearDay is < 1 or > 365)
        {
            error = $"parsing time {GoQuote.Quote(value)}: day-of-year out of range";
            return false;
        }

        if (m == 0)
        {
            var date = new DateTime(2001, 1, 1).AddDays(yearDay - 1);
            (m, d) = (date.Month, date.Day);
        }

        if (month >= 0 && month != m)
        {
            error = $"parsing time {GoQuote.Quote(value)}: day-of-year does not match month";
            return false;
        }

        if (day >= 0 && day != d)
        {
            error = $"parsing time {GoQuote.Quote(value)}: day-of-year does not match day";
            return false;
        }

        (month, day) = (m, d);
        return true;
    }

    private static bool TryZoneOffset(LayoutElement element, ref ReadOnlySpan<char> v, ref bool utc, ref int zoneOffset, ref string? range)
    {
        // Every ISO 8601 form takes "Z" (Go 1.19 took it for three of the five).
        if (element is LayoutElement.Iso8601Zone or LayoutElement.Iso8601ShortZone or LayoutElement.Iso8601ColonZone
                or LayoutElement.Iso8601SecondsZone or LayoutElement.Iso8601ColonSecondsZone
            && !v.IsEmpty && v[0] == 'Z')
        {
            v = v[1..];
            utc = true;
            return true;
        }

        // Where the hours, minutes and seconds sit in the value (-1: absent, read as 00), and its length.
        int minutesAt = -1, secondsAt = -1, length;
        switch (element)
        {
            case LayoutElement.Iso8601ColonZone or LayoutElement.NumColonZone:
                if (v.Length < 6 || v[3] != ':')
                {
                    return false;
                }

                (minutesAt, length) = (4, 6);
                break;
            case LayoutElement.NumShortZone or LayoutElement.Iso8601ShortZone:
                if (v.Length < 3)
                {
                    return false;
                }

                length = 3;
                break;
            case LayoutElement.Iso8601ColonSecondsZone or LayoutElement.NumColonSecondsZone:
                if (v.Length < 9 || v[3] != ':' || v[6] != ':')
                {
                    return false;
                }

                (minutesAt, secondsAt, length) = (4, 7, 9);
                break;
            case LayoutElement.Iso8601SecondsZone or LayoutElement.NumSecondsZone:
                if (v.Length < 7)
                {
                    return false;
                }

                (minutesAt, secondsAt, length) = (3, 5, 7);
                break;
            default:
                if (v.Length < 5)
                {
                    return false;
                }

                (minutesAt, length) = (3, 5);
                break;
        }

        var sign = v[0];
        var hours = 0;
        var minutes = 0;
        var seconds = 0;
        // Two digits each, no signs inside (Go 1.19 read them with atoi and took "+-1"); a field
        // after one that failed stays 0.
        var parsed = TryTwoDigits(v[1..3], out hours)
            && (minutesAt < 0 || TryTwoDigits(v.Slice(minutesAt, 2), out minutes))
            && (secondsAt < 0 || TryTwoDigits(v.Slice(secondsAt, 2), out seconds));
        v = v[length..];

        // Newer Go releases reject offsets past 24 h, 60 min or 60 s, and say so even when a later
        // field or the sign is malformed ("+99 1900" is an hour out of range); so does GoplNet.
        if (hours > 24)
        {
            range = "time zone offset hour";
        }

        if (minutes > 60)
        {
            range = "time zone offset minute";
        }

        if (seconds > 60)
        {
            range = "time zone offset second";
        }

        zoneOffset = (((hours * 60) + minutes) * 60) + seconds;
        switch (sign)
        {
            case '+':
                return parsed;
            case '-':
                zoneOffset = -zoneOffset;
                return parsed;
            default:
                return false;
        }
    }

    /// <summary>How many characters of <paramref name="v"/> look like a zone abbreviation (Go's <c>parseTimeZone</c>); 0 when none.</summary>
    private static int ZoneNameLength(ReadOnlySpan<char> v)
    {
        if (v.Length < 3)
        {
            return 0;
        }

        if (v.StartsWith("ChST") || v.StartsWith("MeST"))
        {
            return 4;
        }

        if (v.StartsWith("GMT"))
        {
            return v.Length == 3 ? 3 : 3 + SignedOffsetLength(v[3..]);
        }

        if (v[0] is '+' or '-')
        {
            return SignedOffsetLength(v);
        }

        var upper = 0;
        while (upper < 6 && upper < v.Length && v[upper] is >= 'A' and <= 'Z')
        {
            upper++;
        }

        return upper switch
        {
            5 when v[4] == 'T' => 5,
            4 when v[3] == 'T' || v.StartsWith("WITA") => 4,
            3 => 3,
            _ => 0,
        };
    }

    private static int SignedOffsetLength(ReadOnlySpan<char> v)
    {
        if (v.IsEmpty || v[0] is not ('+' or '-'))
        {
            return 0;
        }

        var digits = 0;
        long x = 0;
        while (1 + digits < v.Length && char.IsAsciiDigit(v[1 + digits]))
        {
            x = (x * 10) + (v[1 + digits] - '0');
            if (x > int.MaxValue)
            {
                return 0;
            }

            digits++;
        }

        if (digits == 0)
        {
            return 0;
        }

        if (v[0] == '-')
        {
            x = -x;
        }

        return x is < -23 or > 23 ? 0 : 1 + digits;
    }

    private static bool TryNanoseconds(ReadOnlySpan<char> v, int length, out int nanoseconds, ref string? range)
    {
        nanoseconds = 0;
        if (v[0] is not ('.' or ','))
        {
            return false;
        }

        // Digits past the ninth are ignored.
        length = Math.Min(length, 10);
        if (!TryAtoi(v[1..length], out var value))
        {
            return false;
        }

        if (value < 0)
        {
            range = "fractional second";
            return true;
        }

        for (var scale = 10 - length; scale > 0; scale--)
        {
            value *= 10;
        }

        nanoseconds = value;
        return true;
    }

    private static bool TryNumber(ref ReadOnlySpan<char> v, bool fixedWidth, out int number)
    {
        number = 0;
        if (v.IsEmpty || !char.IsAsciiDigit(v[0]))
        {
            return false;
        }

        if (v.Length < 2 || !char.IsAsciiDigit(v[1]))
        {
            if (fixedWidth)
            {
                return false;
            }

            number = v[0] - '0';
            v = v[1..];
            return true;
        }

        number = ((v[0] - '0') * 10) + (v[1] - '0');
        v = v[2..];
        return true;
    }

    private static bool TryNumber3(ref ReadOnlySpan<char> v, bool fixedWidth, out int number)
    {
        number = 0;
        var i = 0;
        for (; i < 3 && i < v.Length && char.IsAsciiDigit(v[i]); i++)
        {
            number = (number * 10) + (v[i] - '0');
        }

        if (i == 0 || (fixedWidth && i != 3))
        {
            return false;
        }

        v = v[i..];
        return true;
    }

    internal static bool TryTwoDigits(ReadOnlySpan<char> s, out int value)
    {
        value = 0;
        if (s.Length != 2 || !char.IsAsciiDigit(s[0]) || !char.IsAsciiDigit(s[1]))
        {
            return false;
        }

        value = ((s[0] - '0') * 10) + (s[1] - '0');
        return true;
    }

    /// <summary>Go's <c>atoi</c>: an optional sign and then only digits (possibly none).</summary>
    private static bool TryAtoi(ReadOnlySpan<char> s, out int value)
    {
        value = 0;
        var negative = false;
        if (!s.IsEmpty && s[0] is '-' or '+')
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        // No digits at all reads as 0, as in Go ("." + "-" is a zero fraction).
        long x = 0;
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            x = (x * 10) + (c - '0');
            if (x > int.MaxValue)
            {
                return false;
            }
        }

        value = (int)(negative ? -x : x);
        return true;
    }

    /// <summary>Matches a name at the start of <paramref name="v"/>, ignoring ASCII case as Go does.</summary>
    private static bool TryLookup(string[] names, ref ReadOnlySpan<char> v, out int index)
    {
        for (index = 0; index < names.Length; index++)
        {
            var name = names[index];
            if (v.Length >= name.Length && EqualsIgnoringAsciiCase(v[..name.Length], name))
            {
                v = v[name.Length..];
                return true;
            }
        }

        index = -1;
        return false;
    }

    /// <summary>Go's <c>match</c>: a name's ASCII letters match themselves in either case, and nothing else does.</summary>
    private static bool EqualsIgnoringAsciiCase(ReadOnlySpan<char> s, string name)
    {
        for (var i = 0; i < name.Length; i++)
        {
            // With a letter on the right, only that letter's two cases give equal values here.
            if ((s[i] | 0x20) != (name[i] | 0x20))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Go's <c>skip</c>: literal text must match, except that a space matches any run of spaces.</summary>
    private static bool Skip(ref ReadOnlySpan<char> v, string prefix)
    {
        var p = prefix.AsSpan();
        while (!p.IsEmpty)
        {
            if (p[0] == ' ')
            {
                if (!v.IsEmpty && v[0] != ' ')
                {
                    return false;
                }

                p = p.TrimStart(' ');
                v = v.TrimStart(' ');
                continue;
            }

            if (v.IsEmpty || v[0] != p[0])
            {
                return false;
            }

            p = p[1..];
            v = v[1..];
        }

        return true;
    }

    private static string CannotParse(ReadOnlySpan<char> value, string layout, string valueElement, string layoutElement) =>
        $"parsing time {GoQuote.Quote(value)} as {GoQuote.Quote(layout)}: cannot parse {GoQuote.Quote(valueElement)} as {GoQuote.Quote(layoutElement)}";

    private static int DaysIn(int month, int year) => month == 2 && IsLeap(year) ? 29 : DateTime.DaysInMonth(2001, month);

    /// <summary>Leap years of the proleptic Gregorian calendar, year 0 included, as Go counts them.</summary>
    private static bool IsLeap(int year) => year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}
