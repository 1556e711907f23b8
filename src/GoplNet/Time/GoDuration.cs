using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace GoplNet.Time;

/// <summary>
/// Go's duration syntax, as <c>time.ParseDuration</c> reads and <c>Duration.String</c> writes it:
/// a sequence of decimal numbers with unit suffixes such as <c>"300ms"</c>, <c>"1.5h"</c> or
/// <c>"2h45m"</c>. The book's programs and the <c>gopl</c> tool take durations in this form.
/// </summary>
/// <remarks>
/// Valid units are <c>ns</c>, <c>us</c> (or <c>µs</c>), <c>ms</c>, <c>s</c>, <c>m</c> and <c>h</c>.
/// <see cref="TimeSpan"/> counts 100 ns ticks, so digits below 100 ns are truncated toward zero.
/// </remarks>
public static class GoDuration
{
    private const long NanosecondsPerTick = 100;
    private static readonly UInt128 TwoToThe63 = (UInt128)long.MaxValue + 1;

    /// <summary>Parses a Go duration string.</summary>
    /// <param name="value">The text, for example <c>"1s"</c> or <c>"-1m30s"</c>.</param>
    /// <returns>The duration, truncated to whole 100 ns ticks.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The text is not a Go duration; the message is Go's.</exception>
    public static TimeSpan Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return TryParseCore(value, out var result, out var error) ? result : throw new FormatException(error);
    }

    /// <summary>Parses a Go duration string without throwing.</summary>
    /// <param name="value">The text, for example <c>"500ms"</c>.</param>
    /// <param name="result">The duration when the text is valid; otherwise <see cref="TimeSpan.Zero"/>.</param>
    /// <returns><see langword="true"/> when <paramref name="value"/> is a Go duration.</returns>
    public static bool TryParse([NotNullWhen(true)] string? value, out TimeSpan result)
    {
        if (value is null)
        {
            result = TimeSpan.Zero;
            return false;
        }

        return TryParseCore(value, out result, out _);
    }

    /// <summary>A duration as configuration holds it: Go's syntax (<c>"500ms"</c>) or a <see cref="TimeSpan"/> (<c>"00:00:30"</c>).</summary>
    internal static bool TryParseSetting([NotNullWhen(true)] string? value, out TimeSpan result) =>
        TryParse(value, out result) || TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out result);

    /// <summary>Formats a duration the way Go's <c>Duration.String</c> does, for example <c>"1h2m0.5s"</c>.</summary>
    /// <param name="value">The duration.</param>
    /// <returns>The Go form of <paramref name="value"/>.</returns>
    public static string Format(TimeSpan value)
    {
        // Work in nanoseconds on the magnitude; ticks * 100 cannot overflow a UInt128.
        var negative = value.Ticks < 0;
        var nanos = (UInt128)(negative ? -(Int128)value.Ticks : value.Ticks) * NanosecondsPerTick;
        if (nanos == 0)
        {
            return "0s";
        }

        var sign = negative ? "-" : string.Empty;
        if (nanos < 1_000_000_000)
        {
            // Below a second Go picks the largest unit that keeps the integer part non-zero.
            if (nanos < 1_000)
            {
                return sign + FormatFraction(nanos, 1) + "ns";
            }

            return nanos < 1_000_000
                ? sign + FormatFraction(nanos, 1_000) + "µs"
                : sign + FormatFraction(nanos, 1_000_000) + "ms";
        }

        var hours = nanos / 3_600_000_000_000;
        var minutes = nanos / 60_000_000_000 % 60;
        var secondsNanos = nanos % 60_000_000_000;
        var text = FormatFraction(secondsNanos, 1_000_000_000) + "s";
        if (hours > 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{sign}{hours}h{minutes}m{text}");
        }

        return minutes > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{sign}{minutes}m{text}")
            : sign + text;
    }

    private static string FormatFraction(UInt128 value, UInt128 scale)
    {
        var whole = (value / scale).ToString(CultureInfo.InvariantCulture);
        var fraction = value % scale;
        if (fraction == 0)
        {
            return whole;
        }

        var digits = scale.ToString(CultureInfo.InvariantCulture).Length - 1;
        var text = fraction.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
        return whole + "." + text;
    }

    private static bool TryParseCore(string original, out TimeSpan result, [NotNullWhen(false)] out string? error)
    {
        result = TimeSpan.Zero;
        error = null;
        var s = original.AsSpan();
        var negative = false;
        if (s.Length > 0 && (s[0] == '-' || s[0] == '+'))
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (s is "0")
        {
            return true;
        }

        if (s.IsEmpty)
        {
            error = Invalid(original);
            return false;
        }

        // Accumulate exactly in nanoseconds (Go's own range is int64 nanoseconds, about 292 years).
        UInt128 total = 0;
        while (!s.IsEmpty)
        {
            if (!(s[0] == '.' || char.IsAsciiDigit(s[0])))
            {
                error = Invalid(original);
                return false;
            }

            var intEnd = 0;
            UInt128 whole = 0;
            while (intEnd < s.Length && char.IsAsciiDigit(s[intEnd]))
            {
                whole = (whole * 10) + (uint)(s[intEnd] - '0');
                if (whole > TwoToThe63)
                {
                    error = Invalid(original);
                    return false;
                }

                intEnd++;
            }

            var pre = intEnd > 0;
            s = s[intEnd..];
            ulong fraction = 0;
            double fractionScale = 1;
            var post = false;
            if (!s.IsEmpty && s[0] == '.')
            {
                s = s[1..];
                var fracEnd = 0;
                var overflow = false;
                while (fracEnd < s.Length && char.IsAsciiDigit(s[fracEnd]))
                {
                    // Go keeps the digits that fit in 63 bits and ignores the rest.
                    if (!overflow && fraction <= long.MaxValue / 10
                        && (fraction * 10) + (ulong)(s[fracEnd] - '0') <= (ulong)TwoToThe63)
                    {
                        fraction = (fraction * 10) + (ulong)(s[fracEnd] - '0');
                        fractionScale *= 10;
                    }
                    else
                    {
                        overflow = true;
                    }

                    fracEnd++;
                }

                post = fracEnd > 0;
                s = s[fracEnd..];
            }

            if (!pre && !post)
            {
                error = Invalid(original);
                return false;
            }

            var unitEnd = 0;
            while (unitEnd < s.Length && s[unitEnd] != '.' && !char.IsAsciiDigit(s[unitEnd]))
            {
                unitEnd++;
            }

            if (unitEnd == 0)
            {
                error = "time: missing unit in duration " + GoQuote.Quote(original);
                return false;
            }

            var unitText = s[..unitEnd];
            s = s[unitEnd..];
            UInt128 unit = unitText switch
            {
                "ns" => 1UL,
                "us" or "µs" or "μs" => 1_000UL,
                "ms" => 1_000_000UL,
                "s" => 1_000_000_000UL,
                "m" => 60_000_000_000UL,
                "h" => 3_600_000_000_000UL,
                _ => 0,
            };
            if (unit == 0)
            {
                error = "time: unknown unit " + GoQuote.Quote(unitText.ToString()) + " in duration " + GoQuote.Quote(original);
                return false;
            }

            // Go scales the fraction in floating point, so "0.3333333333333333333h" is exactly 20m.
            var value = (whole * unit) + (ulong)(fraction * ((double)unit / fractionScale));
            total += value;
            if (value > TwoToThe63 || total > TwoToThe63 || (!negative && total == TwoToThe63))
            {
                error = Invalid(original);
                return false;
            }
        }

        var ticks = (long)(total / NanosecondsPerTick);
        result = TimeSpan.FromTicks(negative ? -ticks : ticks);
        return true;
    }

    private static string Invalid(string original) => "time: invalid duration " + GoQuote.Quote(original);
}
