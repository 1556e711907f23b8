namespace GoplNet.Time;

/// <summary>
/// A Go layout (such as <c>"15:04:05"</c> or <see cref="GoTimeFormat.RFC1123"/>) parsed once,
/// to format many times. Immutable and thread-safe; formatting into a span allocates nothing.
/// </summary>
/// <remarks>
/// Output equals Go's <c>Time.Format</c> byte for byte for the instants <see cref="DateTimeOffset"/>
/// can hold (years 1 to 9999, 100 ns ticks). With a <see cref="TimeZoneInfo"/>, offsets and
/// abbreviations come from the system tz database (the TZif files Go reads, under <c>TZDIR</c> or
/// <c>/usr/share/zoneinfo</c>), so historic offsets keep their seconds and <c>MST</c> prints
/// <c>JST</c>, <c>EDT</c> or <c>+03</c> exactly as Go does on the same machine. A zone that has no
/// file (a custom <see cref="TimeZoneInfo"/>) uses its own offsets and prints <c>MST</c> as <c>-0700</c>.
/// </remarks>
/// <example>
/// <code>
/// var layout = GoTimeLayout.Compile("15:04:05\n");
/// Span&lt;byte&gt; line = stackalloc byte[layout.MaxByteCount];
/// layout.TryFormat(DateTimeOffset.UtcNow, TimeZoneInfo.Local, line, out var length);
/// </code>
/// </example>
public sealed class GoTimeLayout
{
    private const int MaxZoneNameLength = 32;

    private readonly LayoutChunk[] _chunks;
    private readonly FixedWidthLayout? _fixedWidth;
    private readonly FixedWidthParser? _fixedWidthParser;

    private GoTimeLayout(string layout, LayoutChunk[] chunks)
    {
        Layout = layout;
        _chunks = chunks;
        _fixedWidth = FixedWidthLayout.TryCreate(chunks);
        _fixedWidthParser = FixedWidthParser.TryCreate(chunks);
        HasTimeElement = chunks.Any(c => c.Element != LayoutElement.None);
        MaxByteCount = chunks.Sum(c => c.Utf8Literal.Length + MaxElementLength(c));
    }

    /// <summary>The layout text this was compiled from.</summary>
    public string Layout { get; }

    /// <summary>Whether the layout has any date, time or zone element (<c>"hello"</c> has none and formats as itself).</summary>
    public bool HasTimeElement { get; }

    /// <summary>
    /// The most UTF-8 bytes (and UTF-16 chars) one formatted value can take: a buffer this size
    /// always suffices, so a caller can size it once.
    /// </summary>
    public int MaxByteCount { get; }

    /// <summary>Parses <paramref name="layout"/> into a reusable layout. Every text is a valid layout; an empty one formats to "".</summary>
    /// <param name="layout">A Go layout such as <c>"2006-01-02T15:04:05Z07:00"</c>.</param>
    /// <returns>The compiled layout.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="layout"/> is <see langword="null"/>.</exception>
    public static GoTimeLayout Compile(string layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        return new GoTimeLayout(layout, [.. LayoutScanner.Scan(layout)]);
    }

    /// <summary>Formats <paramref name="value"/> at its own offset; <c>MST</c> prints <c>UTC</c> at offset zero and <c>+0900</c>-style otherwise.</summary>
    /// <param name="value">The instant.</param>
    /// <returns>The formatted text.</returns>
    public string Format(DateTimeOffset value)
    {
        var (local, offset, name) = AtOwnOffset(value);
        return FormatToString(local, offset, name);
    }

    /// <summary>Formats <paramref name="value"/> as Go's <c>t.In(zone).Format(layout)</c> does.</summary>
    /// <param name="value">The instant.</param>
    /// <param name="zone">The zone to show it in.</param>
    /// <returns>The formatted text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="zone"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The instant falls outside years 1 to 9999 in <paramref name="zone"/>.</exception>
    public string Format(DateTimeOffset value, TimeZoneInfo zone)
    {
        var (local, offset, name) = InZone(value, zone);
        return FormatToString(local, offset, name);
    }

    /// <summary>Formats <paramref name="value"/> at its own offset into <paramref name="destination"/>, allocating nothing.</summary>
    /// <param name="value">The instant.</param>
    /// <param name="destination">Where the UTF-16 text goes.</param>
    /// <param name="charsWritten">How many chars were written; 0 when the text did not fit.</param>
    /// <returns><see langword="false"/> when <paramref name="destination"/> is too small.</returns>
    public bool TryFormat(DateTimeOffset value, Span<char> destination, out int charsWritten)
    {
        // A fixed-width layout with no zone or fraction at its end needs the wall-clock time alone.
        if (_fixedWidth is { HasTail: false })
        {
            return _fixedWidth.TryFormat(value.DateTime, 0, null, destination, out charsWritten);
        }

        var (local, offset, name) = AtOwnOffset(value);
        return _fixedWidth is not null
            ? _fixedWidth.TryFormat(local, offset, name, destination, out charsWritten)
            : LayoutFormatter.TryFormat(_chunks, local, offset, name, destination, out charsWritten);
    }

    /// <summary>Formats <paramref name="value"/> at its own offset as UTF-8 into <paramref name="utf8Destination"/>, allocating nothing.</summary>
    /// <param name="value">The instant.</param>
    /// <param name="utf8Destination">Where the UTF-8 bytes go.</param>
    /// <param name="bytesWritten">How many bytes were written; 0 when the text did not fit.</param>
    /// <returns><see langword="false"/> when <paramref name="utf8Destination"/> is too small.</returns>
    public bool TryFormat(DateTimeOffset value, Span<byte> utf8Destination, out int bytesWritten)
    {
        // A fixed-width layout with no zone or fraction at its end needs the wall-clock time alone.
        if (_fixedWidth is { HasTail: false })
        {
            return _fixedWidth.TryFormat(value.DateTime, 0, null, utf8Destination, out bytesWritten);
        }

        var (local, offset, name) = AtOwnOffset(value);
        return _fixedWidth is not null
            ? _fixedWidth.TryFormat(local, offset, name, utf8Destination, out bytesWritten)
            : LayoutFormatter.TryFormat(_chunks, local, offset, name, utf8Destination, out bytesWritten);
    }

    /// <summary>Formats <paramref name="value"/> in <paramref name="zone"/> into <paramref name="destination"/>; allocation-free once the zone has been read.</summary>
    /// <param name="value">The instant.</param>
    /// <param name="zone">The zone to show it in.</param>
    /// <param name="destination">Where the UTF-16 text goes.</param>
    /// <param name="charsWritten">How many chars were written; 0 when the text did not fit.</param>
    /// <returns><see langword="false"/> when <paramref name="destination"/> is too small.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="zone"/> is <see langword="null"/>.</exception>
    public bool TryFormat(DateTimeOffset value, TimeZoneInfo zone, Span<char> destination, out int charsWritten)
    {
        var (local, offset, name) = InZone(value, zone);
        return _fixedWidth is not null
            ? _fixedWidth.TryFormat(local, offset, name, destination, out charsWritten)
            : LayoutFormatter.TryFormat(_chunks, local, offset, name, destination, out charsWritten);
    }

    /// <summary>Formats <paramref name="value"/> in <paramref name="zone"/> as UTF-8; allocation-free once the zone has been read.</summary>
    /// <param name="value">The instant.</param>
    /// <param name="zone">The zone to show it in.</param>
    /// <param name="utf8Destination">Where the UTF-8 bytes go.</param>
    /// <param name="bytesWritten">How many bytes were written; 0 when the text did not fit.</param>
    /// <returns><see langword="false"/> when <paramref name="utf8Destination"/> is too small.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="zone"/> is <see langword="null"/>.</exception>
    public bool TryFormat(DateTimeOffset value, TimeZoneInfo zone, Span<byte> utf8Destination, out int bytesWritten)
    {
        var (local, offset, name) = InZone(value, zone);
        return _fixedWidth is not null
            ? _fixedWidth.TryFormat(local, offset, name, utf8Destination, out bytesWritten)
            : LayoutFormatter.TryFormat(_chunks, local, offset, name, utf8Destination, out bytesWritten);
    }

    /// <summary>
    /// Parses <paramref name="value"/> as Go's <c>time.Parse(layout, value)</c>: without a zone in the
    /// value the result is UTC; a zone abbreviation is looked up in the process's local zone.
    /// </summary>
    /// <param name="value">The text to read.</param>
    /// <returns>The instant, at the offset the value gave (or UTC).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    /// <exception cref="GoTimeParseException">The value does not match the layout (the message is Go's), or names an instant or offset <see cref="DateTimeOffset"/> cannot hold.</exception>
    public DateTimeOffset Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return TryParseCore(value, null, out var result, out var error) ? result : throw new GoTimeParseException(error!, value, Layout);
    }

    /// <summary>Parses <paramref name="value"/> as Go's <c>time.ParseInLocation</c>: without a zone in the value, the time is read in <paramref name="zone"/>.</summary>
    /// <param name="value">The text to read.</param>
    /// <param name="zone">The zone for values that name none, and whose abbreviations are recognised.</param>
    /// <returns>The instant, at the offset in force.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> or <paramref name="zone"/> is <see langword="null"/>.</exception>
    /// <exception cref="GoTimeParseException">The value does not match the layout (the message is Go's), or names an instant or offset <see cref="DateTimeOffset"/> cannot hold.</exception>
    public DateTimeOffset ParseInLocation(string value, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(zone);
        return TryParseCore(value, zone, out var result, out var error) ? result : throw new GoTimeParseException(error!, value, Layout);
    }

    /// <summary>Parses like <see cref="Parse(string)"/>, without throwing for bad input.</summary>
    /// <param name="value">The text to read; <see langword="null"/> gives <see langword="false"/>.</param>
    /// <param name="result">The instant when the value parsed.</param>
    /// <returns>Whether the value parsed.</returns>
    public bool TryParse(string? value, out DateTimeOffset result)
    {
        result = default;
        return value is not null && TryParseCore(value, null, out result, out _);
    }

    /// <summary>Parses like <see cref="ParseInLocation(string, TimeZoneInfo)"/>, without throwing for bad input.</summary>
    /// <param name="value">The text to read; <see langword="null"/> gives <see langword="false"/>.</param>
    /// <param name="zone">The zone for values that name none.</param>
    /// <param name="result">The instant when the value parsed.</param>
    /// <returns>Whether the value parsed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="zone"/> is <see langword="null"/>.</exception>
    public bool TryParseInLocation(string? value, TimeZoneInfo zone, out DateTimeOffset result)
    {
        ArgumentNullException.ThrowIfNull(zone);
        result = default;
        return value is not null && TryParseCore(value, zone, out result, out _);
    }

    /// <summary>The layout text.</summary>
    /// <returns><see cref="Layout"/>.</returns>
    public override string ToString() => Layout;

    internal bool TryParseCore(ReadOnlySpan<char> value, TimeZoneInfo? location, out DateTimeOffset result, out string? error)
    {
        // Go's Parse: UTC by default, abbreviations and offsets matched against the local zone.
        var (zone, info, names) = location is null ? (TzifZone.Utc, null, TimeZoneInfo.Local) : (ZoneDatabase.Find(location), location, location);
        if (zone is not null)
        {
            info = null;
        }

        error = null;
        return (_fixedWidthParser is not null && _fixedWidthParser.TryParse(value, zone, info, names, out result))
            || LayoutParser.TryParse(_chunks, Layout, value, zone, info, names, out result, out error);
    }

    private static (DateTime Local, int Offset, string? Name) AtOwnOffset(DateTimeOffset value)
    {
        var offset = (int)(value.Offset.Ticks / TimeSpan.TicksPerSecond);
        return (value.DateTime, offset, offset == 0 ? "UTC" : null);
    }

    private static (DateTime Local, int Offset, string? Name) InZone(DateTimeOffset value, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (ZoneDatabase.Find(zone) is { } tz)
        {
            var (offset, name) = tz.Lookup(FloorSeconds(value.UtcTicks));
            return (new DateTime(value.UtcTicks + (offset * TimeSpan.TicksPerSecond), DateTimeKind.Unspecified), offset, name);
        }

        var converted = TimeZoneInfo.ConvertTime(value, zone);
        return (converted.DateTime, (int)(converted.Offset.Ticks / TimeSpan.TicksPerSecond), null);
    }

    private static long FloorSeconds(long utcTicks)
    {
        var ticks = utcTicks - DateTime.UnixEpoch.Ticks;
        return ticks >= 0 ? ticks / TimeSpan.TicksPerSecond : ((ticks + 1) / TimeSpan.TicksPerSecond) - 1;
    }

    private static int MaxElementLength(LayoutChunk chunk) => chunk.Element switch
    {
        LayoutElement.None => 0,
        LayoutElement.ZoneName => MaxZoneNameLength,
        LayoutElement.FractionZeros or LayoutElement.FractionNines => 1 + Math.Min(chunk.Digits, 9),
        _ => 9,
    };

    [System.Runtime.CompilerServices.SkipLocalsInit]
    private string FormatToString(DateTime local, int offset, string? name)
    {
        var buffer = MaxByteCount <= 256 ? stackalloc char[MaxByteCount] : new char[MaxByteCount];
        var formatted = _fixedWidth is not null
            ? _fixedWidth.TryFormat(local, offset, name, buffer, out var written)
            : LayoutFormatter.TryFormat(_chunks, local, offset, name, buffer, out written);
        return formatted
            ? new string(buffer[..written])
            : throw new InvalidOperationException("A formatted time exceeded its computed bound.");
    }
}
