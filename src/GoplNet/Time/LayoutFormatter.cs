using System.Numerics;

namespace GoplNet.Time;

/// <summary>Writes an instant with a compiled layout, byte for byte as Go's <c>Time.Format</c> does.</summary>
internal static class LayoutFormatter
{
    /// <summary>10^0 to 10^9, for cutting nanoseconds to a number of digits.</summary>
    internal static readonly int[] PowersOfTen = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000];

    /// <summary>
    /// Formats the wall-clock time <paramref name="local"/> that has <paramref name="offsetSeconds"/>
    /// east of UTC and the zone abbreviation <paramref name="zoneName"/> (null when the zone has none).
    /// </summary>
    public static bool TryFormat<TChar>(
        LayoutChunk[] chunks, DateTime local, int offsetSeconds, string? zoneName, Span<TChar> destination, out int written)
        where TChar : unmanaged, IBinaryInteger<TChar> =>
        TryFormat(chunks, new Parts(local), (int)(local.Ticks % TimeSpan.TicksPerSecond) * 100, offsetSeconds, zoneName, destination, out written);

    /// <summary>
    /// Formats the end of a fixed-width layout: fractions, zones and the text around them, which need
    /// only the digits below the second, the offset and the zone name (so no date is worked out).
    /// </summary>
    public static bool TryFormatTail<TChar>(
        LayoutChunk[] tail, int nanoseconds, int offsetSeconds, string? zoneName, Span<TChar> destination, out int written)
        where TChar : unmanaged, IBinaryInteger<TChar> =>
        TryFormat(tail, default, nanoseconds, offsetSeconds, zoneName, destination, out written);

    private static bool TryFormat<TChar>(
        LayoutChunk[] chunks, in Parts parts, int nanoseconds, int offsetSeconds, string? zoneName, Span<TChar> destination, out int written)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        var w = new LayoutWriter<TChar>(destination);
        for (var i = 0; i < chunks.Length; i++)
        {
            ref readonly var chunk = ref chunks[i];
            if (chunk.Literal.Length > 0)
            {
                w.AppendText(chunk.Literal, chunk.Utf8Literal);
            }

            if (chunk.Element != LayoutElement.None)
            {
                AppendElement(ref w, chunk, parts, nanoseconds, offsetSeconds, zoneName);
            }
        }

        written = w.Overflowed ? 0 : w.Position;
        return !w.Overflowed;
    }

    private static void AppendElement<TChar>(ref LayoutWriter<TChar> w, in LayoutChunk chunk, in Parts t, int nanoseconds, int offset, string? zoneName)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        switch (chunk.Element)
        {
            case LayoutElement.Year:
                w.AppendNumber(t.Year % 100, 2);
                break;
            case LayoutElement.LongYear:
                w.AppendNumber(t.Year, 4);
                break;
            case LayoutElement.Month:
                w.AppendAscii(GoNames.Months[t.Month - 1]);
                break;
            case LayoutElement.LongMonth:
                w.AppendAscii(GoNames.LongMonths[t.Month - 1]);
                break;
            case LayoutElement.NumMonth:
                w.AppendNumber(t.Month, 0);
                break;
            case LayoutElement.ZeroMonth:
                w.AppendNumber(t.Month, 2);
                break;
            case LayoutElement.WeekDay:
                w.AppendAscii(GoNames.Days[t.DayOfWeek]);
                break;
            case LayoutElement.LongWeekDay:
                w.AppendAscii(GoNames.LongDays[t.DayOfWeek]);
                break;
            case LayoutElement.Day:
                w.AppendNumber(t.Day, 0);
                break;
            case LayoutElement.UnderDay:
                if (t.Day < 10)
                {
                    w.AppendAscii(' ');
                }

                w.AppendNumber(t.Day, 0);
                break;
            case LayoutElement.ZeroDay:
                w.AppendNumber(t.Day, 2);
                break;
            case LayoutElement.UnderYearDay:
                var dayOfYear = t.DayOfYear;
                if (dayOfYear < 100)
                {
                    w.AppendAscii(' ');
                    if (dayOfYear < 10)
                    {
                        w.AppendAscii(' ');
                    }
                }

                w.AppendNumber(dayOfYear, 0);
                break;
            case LayoutElement.ZeroYearDay:
                w.AppendNumber(t.DayOfYear, 3);
                break;
            case LayoutElement.Hour:
                w.AppendNumber(t.Hour, 2);
                break;
            case LayoutElement.Hour12:
                w.AppendNumber(t.Hour % 12 == 0 ? 12 : t.Hour % 12, 0);
                break;
            case LayoutElement.ZeroHour12:
                w.AppendNumber(t.Hour % 12 == 0 ? 12 : t.Hour % 12, 2);
                break;
            case LayoutElement.Minute:
                w.AppendNumber(t.Minute, 0);
                break;
            case LayoutElement.ZeroMinute:
                w.AppendNumber(t.Minute, 2);
                break;
            case LayoutElement.Second:
                w.AppendNumber(t.Second, 0);
                break;
            case LayoutElement.ZeroSecond:
                w.AppendNumber(t.Second, 2);
                break;
            case LayoutElement.PM:
                w.AppendAscii(t.Hour >= 12 ? "PM" : "AM");
                break;
            case LayoutElement.LowerPM:
                w.AppendAscii(t.Hour >= 12 ? "pm" : "am");
                break;
            default:
                AppendZoneOrFraction(ref w, chunk, nanoseconds, offset, zoneName);
                break;
        }
    }

    private static void AppendZoneOrFraction<TChar>(ref LayoutWriter<TChar> w, in LayoutChunk chunk, int nanoseconds, int offset, string? zoneName)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        switch (chunk.Element)
        {
            case LayoutElement.ZoneName when zoneName is not null:
                w.AppendName(zoneName);
                break;
            case LayoutElement.ZoneName:
                // A zone without a name prints as -0700, as Go does.
                AppendOffset(ref w, LayoutElement.NumZone, offset);
                break;
            case LayoutElement.FractionZeros or LayoutElement.FractionNines:
                AppendFraction(ref w, chunk, nanoseconds);
                break;
            default:
                AppendOffset(ref w, chunk.Element, offset);
                break;
        }
    }

    private static void AppendOffset<TChar>(ref LayoutWriter<TChar> w, LayoutElement element, int offset)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        var iso = element is LayoutElement.Iso8601Zone or LayoutElement.Iso8601ColonZone or LayoutElement.Iso8601SecondsZone
            or LayoutElement.Iso8601ShortZone or LayoutElement.Iso8601ColonSecondsZone;
        if (offset == 0 && iso)
        {
            w.AppendAscii('Z');
            return;
        }

        // Go takes the sign from whole minutes: an offset of -30 s prints as +00:00 (and :30 seconds).
        var minutes = offset / 60;
        var absolute = Math.Abs(offset);
        w.AppendAscii(minutes < 0 ? '-' : '+');
        minutes = Math.Abs(minutes);
        w.AppendNumber(minutes / 60, 2);
        var colon = element is LayoutElement.Iso8601ColonZone or LayoutElement.NumColonZone
            or LayoutElement.Iso8601ColonSecondsZone or LayoutElement.NumColonSecondsZone;
        if (colon)
        {
            w.AppendAscii(':');
        }

        if (element is not (LayoutElement.NumShortZone or LayoutElement.Iso8601ShortZone))
        {
            w.AppendNumber(minutes % 60, 2);
        }

        if (element is LayoutElement.Iso8601SecondsZone or LayoutElement.NumSecondsZone
            or LayoutElement.NumColonSecondsZone or LayoutElement.Iso8601ColonSecondsZone)
        {
            if (colon)
            {
                w.AppendAscii(':');
            }

            w.AppendNumber(absolute % 60, 2);
        }
    }

    private static void AppendFraction<TChar>(ref LayoutWriter<TChar> w, in LayoutChunk chunk, int nanoseconds)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        // Digits past the ninth do not exist (Go prints nine); fewer are truncated, never rounded.
        var digits = Math.Min(chunk.Digits, 9);
        var value = (uint)nanoseconds / (uint)PowersOfTen[9 - digits];
        if (chunk.Element == LayoutElement.FractionNines)
        {
            // Trailing zeros are dropped, and the separator with them when nothing is left.
            while (digits > 0 && value % 10 == 0)
            {
                value /= 10;
                digits--;
            }

            if (digits == 0)
            {
                return;
            }
        }

        w.AppendAscii(chunk.Separator);
        w.AppendDigits(value, digits);
    }

    /// <summary>
    /// The fields of a wall-clock time: the date taken apart once (each DateTime property would work
    /// it out again), the time of day worked out only for the elements that show it.
    /// </summary>
    private readonly struct Parts
    {
        private readonly DateTime _local;

        public Parts(DateTime local)
        {
            _local = local;
            (Year, Month, Day) = local;
        }

        public int Year { get; }

        public int Month { get; }

        public int Day { get; }

        public int Hour => (int)((ulong)_local.Ticks / TimeSpan.TicksPerHour % 24);

        public int Minute => (int)((ulong)_local.Ticks / TimeSpan.TicksPerMinute % 60);

        public int Second => (int)((ulong)_local.Ticks / TimeSpan.TicksPerSecond % 60);

        public int DayOfWeek => (int)(((ulong)_local.Ticks / TimeSpan.TicksPerDay + 1) % 7);

        public int DayOfYear => _local.DayOfYear;
    }
}
