namespace GoplNet.Time;

/// <summary>
/// The POSIX TZ string at the end of a TZif file (for example <c>EST5EDT,M3.2.0,M11.1.0</c> or
/// <c>&lt;+03&gt;-3</c>): the rule for instants after the file's last transition, read and applied
/// as Go's <c>tzset</c> does.
/// </summary>
internal sealed class PosixZoneRule
{
    private const int SecondsPerDay = 86_400;
    private static readonly System.Buffers.SearchValues<char> NameEnd = System.Buffers.SearchValues.Create("0123456789,-+");

    private readonly string _stdName;
    private readonly int _stdOffset;
    private readonly string? _dstName;
    private readonly int _dstOffset;
    private readonly Rule _start;
    private readonly Rule _end;

    private PosixZoneRule(string stdName, int stdOffset, string? dstName, int dstOffset, Rule start, Rule end)
    {
        _stdName = stdName;
        _stdOffset = stdOffset;
        _dstName = dstName;
        _dstOffset = dstOffset;
        _start = start;
        _end = end;
    }

    private enum RuleKind
    {
        Julian,
        DayOfYear,
        MonthWeekDay,
    }

    /// <summary>Reads a TZ string; <see langword="null"/> when it is not one Go would accept.</summary>
    public static PosixZoneRule? TryParse(string text)
    {
        var s = text.AsSpan();
        if (!TryName(ref s, out var stdName) || !TryOffset(ref s, out var stdOffset))
        {
            return null;
        }

        // POSIX offsets count west of UTC; ours count east.
        stdOffset = -stdOffset;
        if (s.IsEmpty || s[0] == ',')
        {
            return new PosixZoneRule(stdName, stdOffset, null, 0, default, default);
        }

        if (!TryName(ref s, out var dstName))
        {
            return null;
        }

        int dstOffset;
        if (s.IsEmpty || s[0] == ',')
        {
            dstOffset = stdOffset + 3600;
        }
        else if (TryOffset(ref s, out dstOffset))
        {
            dstOffset = -dstOffset;
        }
        else
        {
            return null;
        }

        if (s.IsEmpty)
        {
            s = ",M3.2.0,M11.1.0";
        }

        if (s[0] is not (',' or ';'))
        {
            return null;
        }

        s = s[1..];
        if (!TryRule(ref s, out var start) || s.IsEmpty || s[0] != ',')
        {
            return null;
        }

        s = s[1..];
        if (!TryRule(ref s, out var end) || !s.IsEmpty)
        {
            return null;
        }

        return new PosixZoneRule(stdName, stdOffset, dstName, dstOffset, start, end);
    }

    /// <summary>The offset east of UTC and the abbreviation at <paramref name="unixSeconds"/>.</summary>
    public (int Offset, string Name) Lookup(long unixSeconds)
    {
        if (_dstName is null)
        {
            return (_stdOffset, _stdName);
        }

        var utc = DateTimeOffset.FromUnixTimeSeconds(unixSeconds).UtcDateTime;
        var year = utc.Year;
        var secondOfYear = ((long)(utc.DayOfYear - 1) * SecondsPerDay) + (long)utc.TimeOfDay.TotalSeconds;
        long startSecond = RuleTime(year, _start, _stdOffset);
        long endSecond = RuleTime(year, _end, _dstOffset);
        var (stdName, stdOffset, dstName, dstOffset) = (_stdName, _stdOffset, _dstName, _dstOffset);
        if (endSecond < startSecond)
        {
            // Southern hemisphere: daylight time spans the turn of the year.
            (startSecond, endSecond) = (endSecond, startSecond);
            (stdName, dstName) = (dstName, stdName);
            (stdOffset, dstOffset) = (dstOffset, stdOffset);
        }

        return secondOfYear < startSecond || secondOfYear >= endSecond ? (stdOffset, stdName) : (dstOffset, dstName);
    }

    /// <summary>Seconds from the start of <paramref name="year"/> (UTC) to the rule's moment, given the offset in force before it.</summary>
    private static int RuleTime(int year, Rule rule, int offset)
    {
        int day;
        switch (rule.Kind)
        {
            case RuleKind.Julian:
                // Jn: 1..365, February 29 never counted.
                day = rule.Day - 1;
                if (DateTime.IsLeapYear(year) && rule.Day >= 60)
                {
                    day++;
                }

                break;
            case RuleKind.DayOfYear:
                day = rule.Day;
                break;
            default:
                // Mm.w.d: day d of week w (5 = the last) of month m.
                var first = new DateTime(year, rule.Month, 1);
                var dayOfMonth = ((rule.Day - (int)first.DayOfWeek) + 7) % 7;
                for (var week = 1; week < rule.Week; week++)
                {
                    if (dayOfMonth + 7 >= DateTime.DaysInMonth(year, rule.Month))
                    {
                        break;
                    }

                    dayOfMonth += 7;
                }

                day = first.DayOfYear - 1 + dayOfMonth;
                break;
        }

        return (day * SecondsPerDay) + rule.Time - offset;
    }

    private static bool TryName(ref ReadOnlySpan<char> s, out string name)
    {
        name = string.Empty;
        if (s.IsEmpty)
        {
            return false;
        }

        if (s[0] == '<')
        {
            var close = s.IndexOf('>');
            if (close < 0)
            {
                return false;
            }

            name = s[1..close].ToString();
            s = s[(close + 1)..];
            return true;
        }

        var end = s.IndexOfAny(NameEnd);
        if (end < 0)
        {
            end = s.Length;
        }

        if (end < 3)
        {
            return false;
        }

        name = s[..end].ToString();
        s = s[end..];
        return true;
    }

    private static bool TryOffset(ref ReadOnlySpan<char> s, out int offset)
    {
        offset = 0;
        if (s.IsEmpty)
        {
            return false;
        }

        var negative = false;
        if (s[0] is '+' or '-')
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (!TryNumber(ref s, 0, 24 * 7, out var hours))
        {
            return false;
        }

        offset = hours * 3600;
        if (!s.IsEmpty && s[0] == ':')
        {
            s = s[1..];
            if (!TryNumber(ref s, 0, 59, out var minutes))
            {
                return false;
            }

            offset += minutes * 60;
            if (!s.IsEmpty && s[0] == ':')
            {
                s = s[1..];
                if (!TryNumber(ref s, 0, 59, out var seconds))
                {
                    return false;
                }

                offset += seconds;
            }
        }

        offset = negative ? -offset : offset;
        return true;
    }

    private static bool TryRule(ref ReadOnlySpan<char> s, out Rule rule)
    {
        rule = default;
        if (s.IsEmpty)
        {
            return false;
        }

        RuleKind kind;
        int day, week = 0, month = 0;
        if (s[0] == 'J')
        {
            s = s[1..];
            kind = RuleKind.Julian;
            if (!TryNumber(ref s, 1, 365, out day))
            {
                return false;
            }
        }
        else if (s[0] == 'M')
        {
            s = s[1..];
            kind = RuleKind.MonthWeekDay;
            if (!TryNumber(ref s, 1, 12, out month) || !Dot(ref s) || !TryNumber(ref s, 1, 5, out week)
                || !Dot(ref s) || !TryNumber(ref s, 0, 6, out day))
            {
                return false;
            }
        }
        else if (char.IsAsciiDigit(s[0]))
        {
            kind = RuleKind.DayOfYear;
            if (!TryNumber(ref s, 0, 365, out day))
            {
                return false;
            }
        }
        else
        {
            return false;
        }

        var time = 2 * 3600;
        if (!s.IsEmpty && s[0] == '/')
        {
            s = s[1..];
            if (!TryOffset(ref s, out time))
            {
                return false;
            }
        }

        rule = new Rule(kind, day, week, month, time);
        return true;
    }

    private static bool Dot(ref ReadOnlySpan<char> s)
    {
        if (s.IsEmpty || s[0] != '.')
        {
            return false;
        }

        s = s[1..];
        return true;
    }

    private static bool TryNumber(ref ReadOnlySpan<char> s, int min, int max, out int value)
    {
        value = 0;
        var length = 0;
        while (length < s.Length && char.IsAsciiDigit(s[length]))
        {
            value = (value * 10) + (s[length] - '0');
            if (value > max)
            {
                return false;
            }

            length++;
        }

        if (length == 0 || value < min)
        {
            return false;
        }

        s = s[length..];
        return true;
    }

    private readonly record struct Rule(RuleKind Kind, int Day, int Week, int Month, int Time);
}
