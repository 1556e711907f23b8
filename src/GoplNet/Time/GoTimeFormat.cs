using System.Collections.Concurrent;

namespace GoplNet.Time;

/// <summary>
/// Go's layout-based time formatting: a layout shows how Go's reference time,
/// <c>Mon Jan 2 15:04:05 MST 2006</c>, would look, and every value is written the same way.
/// The constants carry Go's names and values. The methods here keep the layouts they compile:
/// a layout string used again (a constant, or a program's own string kept in a field) is found by
/// reference, costing a few nanoseconds over a <see cref="GoTimeLayout"/> compiled by hand; equal
/// text in a new string instance is found by its content, and past 256 distinct layouts new ones
/// are compiled per call, so programs that build layouts at run time keep bounded memory.
/// </summary>
/// <example>
/// <code>
/// GoTimeFormat.Format(DateTimeOffset.UtcNow, "15:04:05");                 // "08:01:02"
/// GoTimeFormat.Format(now, GoTimeFormat.RFC1123, TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo"));
///                                                                          // "Wed, 25 Nov 2026 17:01:02 JST"
/// </code>
/// </example>
public static class GoTimeFormat
{
    /// <summary>Go's reference time as a layout: <c>01/02 03:04:05PM '06 -0700</c>.</summary>
    public const string Layout = "01/02 03:04:05PM '06 -0700";

    /// <summary><c>Mon Jan _2 15:04:05 2006</c>.</summary>
    public const string ANSIC = "Mon Jan _2 15:04:05 2006";

    /// <summary><c>Mon Jan _2 15:04:05 MST 2006</c>.</summary>
    public const string UnixDate = "Mon Jan _2 15:04:05 MST 2006";

    /// <summary><c>Mon Jan 02 15:04:05 -0700 2006</c>.</summary>
    public const string RubyDate = "Mon Jan 02 15:04:05 -0700 2006";

    /// <summary><c>02 Jan 06 15:04 MST</c>.</summary>
    public const string RFC822 = "02 Jan 06 15:04 MST";

    /// <summary><c>02 Jan 06 15:04 -0700</c>: RFC 822 with a numeric zone.</summary>
    public const string RFC822Z = "02 Jan 06 15:04 -0700";

    /// <summary><c>Monday, 02-Jan-06 15:04:05 MST</c>.</summary>
    public const string RFC850 = "Monday, 02-Jan-06 15:04:05 MST";

    /// <summary><c>Mon, 02 Jan 2006 15:04:05 MST</c>.</summary>
    public const string RFC1123 = "Mon, 02 Jan 2006 15:04:05 MST";

    /// <summary><c>Mon, 02 Jan 2006 15:04:05 -0700</c>: RFC 1123 with a numeric zone.</summary>
    public const string RFC1123Z = "Mon, 02 Jan 2006 15:04:05 -0700";

    /// <summary><c>2006-01-02T15:04:05Z07:00</c>.</summary>
    public const string RFC3339 = "2006-01-02T15:04:05Z07:00";

    /// <summary><c>2006-01-02T15:04:05.999999999Z07:00</c>.</summary>
    public const string RFC3339Nano = "2006-01-02T15:04:05.999999999Z07:00";

    /// <summary><c>3:04PM</c>.</summary>
    public const string Kitchen = "3:04PM";

    /// <summary><c>Jan _2 15:04:05</c>: a handy time stamp.</summary>
    public const string Stamp = "Jan _2 15:04:05";

    /// <summary><c>Jan _2 15:04:05.000</c>.</summary>
    public const string StampMilli = "Jan _2 15:04:05.000";

    /// <summary><c>Jan _2 15:04:05.000000</c>.</summary>
    public const string StampMicro = "Jan _2 15:04:05.000000";

    /// <summary><c>Jan _2 15:04:05.000000000</c>.</summary>
    public const string StampNano = "Jan _2 15:04:05.000000000";

    /// <summary><c>2006-01-02 15:04:05</c> (Go 1.20).</summary>
    public const string DateTime = "2006-01-02 15:04:05";

    /// <summary><c>2006-01-02</c> (Go 1.20).</summary>
    public const string DateOnly = "2006-01-02";

    /// <summary><c>15:04:05</c> (Go 1.20).</summary>
    public const string TimeOnly = "15:04:05";

    private const int MaxCachedLayouts = 256;

    /// <summary>
    /// Compiled layouts by text: Go's named layouts from the start (so they never compile per call,
    /// however many other layouts a program builds), then the first layouts seen, up to the bound.
    /// </summary>
    private static readonly ConcurrentDictionary<string, GoTimeLayout> Cache = new(
        new[]
        {
            Layout, ANSIC, UnixDate, RubyDate, RFC822, RFC822Z, RFC850, RFC1123, RFC1123Z, RFC3339, RFC3339Nano,
            Kitchen, Stamp, StampMilli, StampMicro, StampNano, DateTime, DateOnly, TimeOnly,
        }.Distinct(StringComparer.Ordinal).Select(l => KeyValuePair.Create(l, GoTimeLayout.Compile(l))),
        StringComparer.Ordinal);

    /// <summary>
    /// The layouts last found in <see cref="Cache"/> under the very string instance they were
    /// compiled from. The constants above are interned, and a program's own layout strings are
    /// usually the same instance call after call, so a reference comparison finds them without
    /// hashing the text; an equal text in another instance takes the dictionary.
    /// </summary>
    private static readonly GoTimeLayout?[] Recent = new GoTimeLayout?[8];

    private static int _nextRecent;

    /// <summary>Formats <paramref name="value"/> at its own offset; <c>MST</c> prints <c>UTC</c> at offset zero and <c>+0900</c>-style otherwise.</summary>
    /// <param name="value">The instant.</param>
    /// <param name="layout">A Go layout.</param>
    /// <returns>The formatted text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="layout"/> is <see langword="null"/>.</exception>
    public static string Format(DateTimeOffset value, string layout) => Compiled(layout).Format(value);

    /// <summary>Formats <paramref name="value"/> in <paramref name="zone"/> exactly as Go's <c>t.In(zone).Format(layout)</c>, abbreviations included.</summary>
    /// <param name="value">The instant.</param>
    /// <param name="layout">A Go layout.</param>
    /// <param name="zone">The zone to show the instant in.</param>
    /// <returns>The formatted text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="layout"/> or <paramref name="zone"/> is <see langword="null"/>.</exception>
    public static string Format(DateTimeOffset value, string layout, TimeZoneInfo zone) => Compiled(layout).Format(value, zone);

    /// <summary>Formats <paramref name="value"/> at its own offset into <paramref name="destination"/>; allocation-free once <paramref name="layout"/> is cached.</summary>
    /// <param name="value">The instant.</param>
    /// <param name="destination">Where the UTF-16 text goes.</param>
    /// <param name="charsWritten">How many chars were written; 0 when the text did not fit.</param>
    /// <param name="layout">A Go layout.</param>
    /// <returns><see langword="false"/> when <paramref name="destination"/> is too small.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="layout"/> is <see langword="null"/>.</exception>
    public static bool TryFormat(DateTimeOffset value, Span<char> destination, out int charsWritten, string layout) =>
        Compiled(layout).TryFormat(value, destination, out charsWritten);

    /// <summary>Formats <paramref name="value"/> at its own offset as UTF-8; allocation-free once <paramref name="layout"/> is cached.</summary>
    /// <param name="value">The instant.</param>
    /// <param name="utf8Destination">Where the UTF-8 bytes go.</param>
    /// <param name="bytesWritten">How many bytes were written; 0 when the text did not fit.</param>
    /// <param name="layout">A Go layout.</param>
    /// <returns><see langword="false"/> when <paramref name="utf8Destination"/> is too small.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="layout"/> is <see langword="null"/>.</exception>
    public static bool TryFormat(DateTimeOffset value, Span<byte> utf8Destination, out int bytesWritten, string layout) =>
        Compiled(layout).TryFormat(value, utf8Destination, out bytesWritten);

    /// <summary>
    /// Parses <paramref name="value"/> as Go's <c>time.Parse(layout, value)</c> (note the .NET argument
    /// order: value first). Without a zone in the value the result is UTC.
    /// </summary>
    /// <param name="value">The text to read.</param>
    /// <param name="layout">A Go layout.</param>
    /// <returns>The instant, at the offset the value gave (or UTC).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> or <paramref name="layout"/> is <see langword="null"/>.</exception>
    /// <exception cref="GoTimeParseException">The value does not match (the message is Go's), or names an instant or offset <see cref="DateTimeOffset"/> cannot hold.</exception>
    public static DateTimeOffset Parse(string value, string layout) => Compiled(layout).Parse(value);

    /// <summary>Parses <paramref name="value"/> as Go's <c>time.ParseInLocation(layout, value, zone)</c>.</summary>
    /// <param name="value">The text to read.</param>
    /// <param name="layout">A Go layout.</param>
    /// <param name="zone">The zone for values that name none, and whose abbreviations are recognised.</param>
    /// <returns>The instant, at the offset in force.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="GoTimeParseException">The value does not match (the message is Go's), or names an instant or offset <see cref="DateTimeOffset"/> cannot hold.</exception>
    public static DateTimeOffset ParseInLocation(string value, string layout, TimeZoneInfo zone) => Compiled(layout).ParseInLocation(value, zone);

    /// <summary>Parses like <see cref="Parse"/> without throwing for bad input.</summary>
    /// <param name="value">The text to read; <see langword="null"/> gives <see langword="false"/>.</param>
    /// <param name="layout">A Go layout.</param>
    /// <param name="result">The instant when the value parsed.</param>
    /// <returns>Whether the value parsed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="layout"/> is <see langword="null"/>.</exception>
    public static bool TryParse(string? value, string layout, out DateTimeOffset result) => Compiled(layout).TryParse(value, out result);

    /// <summary>Parses like <see cref="ParseInLocation"/> without throwing for bad input.</summary>
    /// <param name="value">The text to read; <see langword="null"/> gives <see langword="false"/>.</param>
    /// <param name="layout">A Go layout.</param>
    /// <param name="zone">The zone for values that name none.</param>
    /// <param name="result">The instant when the value parsed.</param>
    /// <returns>Whether the value parsed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="layout"/> or <paramref name="zone"/> is <see langword="null"/>.</exception>
    public static bool TryParseInLocation(string? value, string layout, TimeZoneInfo zone, out DateTimeOffset result) =>
        Compiled(layout).TryParseInLocation(value, zone, out result);

    /// <summary>The compiled form of <paramref name="layout"/>; Go's named layouts and the first layouts seen (256 in all) are kept, others are compiled per call.</summary>
    private static GoTimeLayout Compiled(string layout)
    {
        foreach (var recent in Recent)
        {
            if (recent is not null && ReferenceEquals(recent.Layout, layout))
            {
                return recent;
            }
        }

        return Lookup(layout);
    }

    private static GoTimeLayout Lookup(string layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        if (!Cache.TryGetValue(layout, out var compiled))
        {
            compiled = Cache.Count < MaxCachedLayouts ? Cache.GetOrAdd(layout, GoTimeLayout.Compile) : GoTimeLayout.Compile(layout);
        }

        // Only a layout that holds this very instance can be found by reference next time.
        if (ReferenceEquals(compiled.Layout, layout))
        {
            Recent[(int)((uint)(Interlocked.Increment(ref _nextRecent) - 1) % Recent.Length)] = compiled;
        }

        return compiled;
    }
}
