using System.Numerics;

namespace GoplNet.Time;

/// <summary>
/// The fast path for layouts whose every element has a fixed width (<c>"15:04:05\n"</c>,
/// <c>"2006-01-02 15:04:05.000"</c>): the literal text is laid out once as a template, and
/// formatting copies it and writes the digits in place, with no scanning and no branches per
/// literal; three-letter day and month names are fixed-width too. Trimmed fractions and zones may
/// end the layout (<see cref="GoTimeFormat.RFC3339Nano"/>, <see cref="GoTimeFormat.RFC1123"/>): they
/// follow the template through the general formatter. Layouts with long names or unpadded numbers
/// use the general path.
/// </summary>
internal sealed class FixedWidthLayout
{
    private readonly byte[] _utf8Template;
    private readonly char[] _charTemplate;
    private readonly (int Position, LayoutElement Element, int Digits)[] _fields;
    private readonly bool _needsDate;

    /// <summary>
    /// For a clock layout (hours, minutes and seconds at most once each, nothing else, such as the
    /// clock server's <c>"15:04:05\n"</c>), where each goes (-1: absent): written with no loop.
    /// </summary>
    private readonly (int Hour, int Minute, int Second)? _clock;
    private readonly bool _needsDayOfYear;

    /// <summary>What follows the template: variable-width fractions and zones, and text after them.</summary>
    private readonly LayoutChunk[] _tail;

    private FixedWidthLayout(byte[] utf8Template, char[] charTemplate, (int, LayoutElement, int)[] fields, LayoutChunk[] tail)
    {
        _utf8Template = utf8Template;
        _charTemplate = charTemplate;
        _fields = fields;
        _tail = tail;
        _needsDate = _fields.Any(f => f.Element is LayoutElement.LongYear or LayoutElement.Year or LayoutElement.ZeroMonth
            or LayoutElement.Month or LayoutElement.ZeroDay or LayoutElement.ZeroYearDay);
        _needsDayOfYear = _fields.Any(f => f.Element is LayoutElement.ZeroYearDay);
        int At(LayoutElement element) => Array.FindIndex(fields, f => f.Item2 == element) is var i and >= 0 ? fields[i].Item1 : -1;
        var clockFields = fields.Count(f => f.Item2 is LayoutElement.Hour or LayoutElement.ZeroMinute or LayoutElement.ZeroSecond);
        if (tail.Length == 0 && clockFields == fields.Length && fields.DistinctBy(f => f.Item2).Count() == fields.Length)
        {
            _clock = (At(LayoutElement.Hour), At(LayoutElement.ZeroMinute), At(LayoutElement.ZeroSecond));
        }
    }

    /// <summary>The fixed-width form of a layout, or <see langword="null"/> when it has a variable-width element.</summary>
    public static FixedWidthLayout? TryCreate(IReadOnlyList<LayoutChunk> chunks)
    {
        var utf8 = new List<byte>();
        var chars = new List<char>();
        var fields = new List<(int, LayoutElement, int)>();
        var tail = new List<LayoutChunk>();
        foreach (var chunk in chunks)
        {
            if (tail.Count > 0 || chunk.Element is LayoutElement.FractionNines or LayoutElement.ZoneName || IsNumericZone(chunk.Element))
            {
                if (chunk.Element is not (LayoutElement.None or LayoutElement.FractionNines or LayoutElement.FractionZeros or LayoutElement.ZoneName)
                    && !IsNumericZone(chunk.Element))
                {
                    return null;
                }

                tail.Add(chunk);
                continue;
            }

            // Positions are shared by both templates, so literals must be ASCII.
            if (chunk.Utf8Literal.Length != chunk.Literal.Length)
            {
                return null;
            }

            utf8.AddRange(chunk.Utf8Literal);
            chars.AddRange(chunk.Literal);
            var width = chunk.Element switch
            {
                LayoutElement.None => 0,
                LayoutElement.Hour or LayoutElement.ZeroHour12 or LayoutElement.ZeroMinute or LayoutElement.ZeroSecond
                    or LayoutElement.ZeroMonth or LayoutElement.ZeroDay or LayoutElement.Year => 2,
                LayoutElement.ZeroYearDay or LayoutElement.WeekDay or LayoutElement.Month => 3,
                LayoutElement.LongYear => 4,
                LayoutElement.FractionZeros when chunk.Digits <= 9 => 1 + chunk.Digits,
                _ => -1,
            };
            if (width < 0)
            {
                return null;
            }

            if (width > 0)
            {
                fields.Add((utf8.Count, chunk.Element, chunk.Element == LayoutElement.FractionZeros ? chunk.Digits : width));
                var placeholder = chunk.Element == LayoutElement.FractionZeros ? chunk.Separator + new string('0', width - 1) : new string('0', width);
                utf8.AddRange(System.Text.Encoding.ASCII.GetBytes(placeholder));
                chars.AddRange(placeholder);
            }
        }

        return new FixedWidthLayout([.. utf8], [.. chars], [.. fields], [.. tail]);
    }

    public bool TryFormat(DateTime local, int offsetSeconds, string? zoneName, Span<byte> destination, out int written) =>
        TryFormat(local, offsetSeconds, zoneName, _utf8Template, destination, out written);

    public bool TryFormat(DateTime local, int offsetSeconds, string? zoneName, Span<char> destination, out int written) =>
        TryFormat(local, offsetSeconds, zoneName, _charTemplate.AsSpan(), destination, out written);

    private static void WritePair<TChar>(Span<TChar> destination, int position, uint value)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        var pair = LayoutWriter<TChar>.TwoDigits.Slice((int)value * 2, 2);
        destination[position] = TChar.CreateTruncating(pair[0]);
        destination[position + 1] = TChar.CreateTruncating(pair[1]);
    }

    /// <summary>Whether a fraction or zone follows the template: only then are the offset and zone name used.</summary>
    public bool HasTail => _tail.Length > 0;

    /// <summary>The ten numeric zone elements, declared together from <c>Z0700</c> to <c>-07:00:00</c>.</summary>
    private static bool IsNumericZone(LayoutElement element) => element is >= LayoutElement.Iso8601Zone and <= LayoutElement.NumColonSecondsZone;

    private bool TryFormat<TChar>(DateTime local, int offsetSeconds, string? zoneName, ReadOnlySpan<TChar> template, Span<TChar> destination, out int written)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        if (destination.Length < template.Length)
        {
            written = 0;
            return false;
        }

        template.CopyTo(destination);
        var ticks = (ulong)local.Ticks;
        var secondOfDay = (uint)(ticks / TimeSpan.TicksPerSecond % 86_400);
        if (_clock is var (hourAt, minuteAt, secondAt))
        {
            if (hourAt >= 0)
            {
                WritePair(destination, hourAt, secondOfDay / 3600);
            }

            if (minuteAt >= 0)
            {
                WritePair(destination, minuteAt, secondOfDay / 60 % 60);
            }

            if (secondAt >= 0)
            {
                WritePair(destination, secondAt, secondOfDay % 60);
            }

            written = template.Length;
            return true;
        }

        int year = 0, month = 0, day = 0, dayOfYear = 0;
        if (_needsDate)
        {
            (year, month, day) = local;
            if (_needsDayOfYear)
            {
                dayOfYear = local.DayOfYear;
            }
        }

        var fields = _fields;
        for (var f = 0; f < fields.Length; f++)
        {
            var (position, element, digits) = fields[f];
            var value = element switch
            {
                LayoutElement.Hour => secondOfDay / 3600,
                LayoutElement.ZeroHour12 => (secondOfDay / 3600 % 12) is 0 ? 12 : secondOfDay / 3600 % 12,
                LayoutElement.ZeroMinute => secondOfDay / 60 % 60,
                LayoutElement.ZeroSecond => secondOfDay % 60,
                LayoutElement.LongYear => (uint)year,
                LayoutElement.Year => (uint)year % 100,
                LayoutElement.ZeroMonth or LayoutElement.Month => (uint)month,
                LayoutElement.WeekDay => (uint)((ticks / TimeSpan.TicksPerDay) + 1) % 7,
                LayoutElement.ZeroDay => (uint)day,
                LayoutElement.ZeroYearDay => (uint)dayOfYear,
                _ => (uint)(ticks % TimeSpan.TicksPerSecond * 100 / (ulong)LayoutFormatter.PowersOfTen[9 - digits]),
            };

            if (element == LayoutElement.FractionZeros)
            {
                position++;
            }

            if (element is LayoutElement.WeekDay or LayoutElement.Month)
            {
                var name = element == LayoutElement.WeekDay ? GoNames.Days[value] : GoNames.Months[value - 1];
                destination[position] = TChar.CreateTruncating(name[0]);
                destination[position + 1] = TChar.CreateTruncating(name[1]);
                destination[position + 2] = TChar.CreateTruncating(name[2]);
                continue;
            }

            if (digits == 2)
            {
                WritePair(destination, position, value);
                continue;
            }

            LayoutWriter<TChar>.WriteDigits(destination, position + digits, value, digits);
        }

        if (_tail.Length == 0)
        {
            written = template.Length;
            return true;
        }

        var nanoseconds = (int)(ticks % TimeSpan.TicksPerSecond) * 100;
        if (!LayoutFormatter.TryFormatTail(_tail, nanoseconds, offsetSeconds, zoneName, destination[template.Length..], out var tailWritten))
        {
            written = 0;
            return false;
        }

        written = template.Length + tailWritten;
        return true;
    }
}
