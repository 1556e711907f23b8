namespace GoplNet.Time;

/// <summary>
/// Splits a Go layout into literal text and elements with Go's rules: the first token found
/// wins, "Jan" and "Mon" count only when no lower-case letter follows ("Janet" is text), "2006"
/// beats "2", "_2006" is a literal underscore then the year, and ".000"/",999" are fractional
/// seconds only when no other digit follows the run.
/// </summary>
internal static class LayoutScanner
{
    public static IReadOnlyList<LayoutChunk> Scan(string layout)
    {
        var chunks = new List<LayoutChunk>();
        var rest = layout.AsSpan();
        while (true)
        {
            var (prefixLength, element, length, digits, separator) = Next(rest);
            var literal = rest[..prefixLength].ToString();
            if (element == LayoutElement.None)
            {
                if (literal.Length > 0)
                {
                    chunks.Add(new LayoutChunk(literal, System.Text.Encoding.UTF8.GetBytes(literal), LayoutElement.None, string.Empty, 0, '\0'));
                }

                return chunks;
            }

            var text = rest.Slice(prefixLength, length).ToString();
            chunks.Add(new LayoutChunk(literal, System.Text.Encoding.UTF8.GetBytes(literal), element, text, digits, separator));
            rest = rest[(prefixLength + length)..];
        }
    }

    /// <summary>Finds the first element: the length of the text before it, the element, its length in the layout.</summary>
    internal static (int Prefix, LayoutElement Element, int Length, int Digits, char Separator) Next(ReadOnlySpan<char> s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            var at = s[i..];
            switch (s[i])
            {
                case 'J':
                    if (at.StartsWith("Jan"))
                    {
                        if (at.StartsWith("January"))
                        {
                            return (i, LayoutElement.LongMonth, 7, 0, '\0');
                        }

                        if (!StartsWithLowerCase(at[3..]))
                        {
                            return (i, LayoutElement.Month, 3, 0, '\0');
                        }
                    }

                    break;
                case 'M':
                    if (at.StartsWith("Mon"))
                    {
                        if (at.StartsWith("Monday"))
                        {
                            return (i, LayoutElement.LongWeekDay, 6, 0, '\0');
                        }

                        if (!StartsWithLowerCase(at[3..]))
                        {
                            return (i, LayoutElement.WeekDay, 3, 0, '\0');
                        }
                    }

                    if (at.StartsWith("MST"))
                    {
                        return (i, LayoutElement.ZoneName, 3, 0, '\0');
                    }

                    break;
                case '0':
                    if (at.Length >= 2 && at[1] is >= '1' and <= '6')
                    {
                        var element = at[1] switch
                        {
                            '1' => LayoutElement.ZeroMonth,
                            '2' => LayoutElement.ZeroDay,
                            '3' => LayoutElement.ZeroHour12,
                            '4' => LayoutElement.ZeroMinute,
                            '5' => LayoutElement.ZeroSecond,
                            _ => LayoutElement.Year,
                        };
                        return (i, element, 2, 0, '\0');
                    }

                    if (at.StartsWith("002"))
                    {
                        return (i, LayoutElement.ZeroYearDay, 3, 0, '\0');
                    }

                    break;
                case '1':
                    return at.StartsWith("15")
                        ? (i, LayoutElement.Hour, 2, 0, '\0')
                        : (i, LayoutElement.NumMonth, 1, 0, '\0');
                case '2':
                    return at.StartsWith("2006")
                        ? (i, LayoutElement.LongYear, 4, 0, '\0')
                        : (i, LayoutElement.Day, 1, 0, '\0');
                case '_':
                    if (at.StartsWith("_2"))
                    {
                        // "_2006" is a literal underscore followed by the year.
                        return at.StartsWith("_2006")
                            ? (i + 1, LayoutElement.LongYear, 4, 0, '\0')
                            : (i, LayoutElement.UnderDay, 2, 0, '\0');
                    }

                    if (at.StartsWith("__2"))
                    {
                        return (i, LayoutElement.UnderYearDay, 3, 0, '\0');
                    }

                    break;
                case '3':
                    return (i, LayoutElement.Hour12, 1, 0, '\0');
                case '4':
                    return (i, LayoutElement.Minute, 1, 0, '\0');
                case '5':
                    return (i, LayoutElement.Second, 1, 0, '\0');
                case 'P':
                    if (at.StartsWith("PM"))
                    {
                        return (i, LayoutElement.PM, 2, 0, '\0');
                    }

                    break;
                case 'p':
                    if (at.StartsWith("pm"))
                    {
                        return (i, LayoutElement.LowerPM, 2, 0, '\0');
                    }

                    break;
                case '-':
                    if (MatchZone(at, '-') is { } numeric)
                    {
                        return (i, numeric.Element, numeric.Length, 0, '\0');
                    }

                    break;
                case 'Z':
                    if (MatchZone(at, 'Z') is { } iso)
                    {
                        return (i, iso.Element, iso.Length, 0, '\0');
                    }

                    break;
                case '.' or ',':
                    if (at.Length >= 2 && at[1] is '0' or '9')
                    {
                        var digit = at[1];
                        var end = 1;
                        while (end < at.Length && at[end] == digit)
                        {
                            end++;
                        }

                        // Only a run that no other digit follows is a fractional second.
                        if (end == at.Length || !char.IsAsciiDigit(at[end]))
                        {
                            var kind = digit == '0' ? LayoutElement.FractionZeros : LayoutElement.FractionNines;
                            return (i, kind, end, end - 1, s[i]);
                        }
                    }

                    break;
            }
        }

        return (s.Length, LayoutElement.None, 0, 0, '\0');
    }

    private static (LayoutElement Element, int Length)? MatchZone(ReadOnlySpan<char> at, char lead)
    {
        // Longest forms first, in Go's order: "-070000" before "-0700", "-07:00:00" before "-07:00".
        var body = at[1..];
        var iso = lead == 'Z';
        if (body.StartsWith("070000"))
        {
            return (iso ? LayoutElement.Iso8601SecondsZone : LayoutElement.NumSecondsZone, 7);
        }

        if (body.StartsWith("07:00:00"))
        {
            return (iso ? LayoutElement.Iso8601ColonSecondsZone : LayoutElement.NumColonSecondsZone, 9);
        }

        if (body.StartsWith("0700"))
        {
            return (iso ? LayoutElement.Iso8601Zone : LayoutElement.NumZone, 5);
        }

        if (body.StartsWith("07:00"))
        {
            return (iso ? LayoutElement.Iso8601ColonZone : LayoutElement.NumColonZone, 6);
        }

        if (body.StartsWith("07"))
        {
            return (iso ? LayoutElement.Iso8601ShortZone : LayoutElement.NumShortZone, 3);
        }

        return null;
    }

    private static bool StartsWithLowerCase(ReadOnlySpan<char> s) => s.Length > 0 && s[0] is >= 'a' and <= 'z';
}
