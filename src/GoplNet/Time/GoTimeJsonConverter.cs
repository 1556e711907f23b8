using System.Text.Json;
using System.Text.Json.Serialization;

namespace GoplNet.Time;

/// <summary>
/// Reads and writes <see cref="DateTimeOffset"/> and <see cref="DateTime"/> (and their nullable
/// forms) as JSON strings in a Go layout. Without a layout it is Go's own <c>time.Time</c>
/// marshalling: RFC 3339 with nanoseconds on write (<c>"2026-11-25T17:01:02.1234567+09:00"</c>,
/// byte for byte what Go's <c>encoding/json</c> writes) and, on read, whatever
/// <c>time.Parse(time.RFC3339, s)</c> accepts, as Go's <c>UnmarshalJSON</c> does.
/// </summary>
/// <remarks>
/// <para>
/// JSON <c>null</c> reads as <see langword="null"/> into a nullable property and, into a
/// non-nullable one, as the default value, which is Go's zero time (0001-01-01 00:00:00 UTC; Go leaves
/// the field unchanged, and a new value holds the zero time). A value that does not parse throws
/// <see cref="JsonException"/> with Go's error text; a value that is not a string throws too.
/// Escaped characters in the string are unescaped first (Go reads the raw bytes and rejects them).
/// </para>
/// <para>
/// A <see cref="DateTime"/> is read as its UTC instant (<see cref="DateTimeKind.Utc"/>); one of kind
/// <see cref="DateTimeKind.Local"/> is written at the local offset, and one of kind
/// <see cref="DateTimeKind.Unspecified"/> as UTC.
/// </para>
/// <para>
/// Text is written as Go writes it: the printable ASCII a layout produces (<c>+</c> and <c>'</c>
/// included) is copied as it is, and only what JSON or HTML-safe output must escape goes through the
/// writer's encoder. Reading and writing go between UTF-8 and the compiled layout without
/// intermediate strings. Works with source-generated <see cref="JsonSerializerContext"/>s, as
/// <c>[JsonConverter(typeof(GoTimeJsonConverter))]</c> on a property or in
/// <see cref="JsonSerializerOptions.Converters"/>; for a layout per property see
/// <see cref="GoTimeJsonAttribute"/>.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var options = new JsonSerializerOptions { Converters = { new GoTimeJsonConverter() } };
/// JsonSerializer.Serialize(DateTimeOffset.UnixEpoch, options);                       // "1970-01-01T00:00:00Z"
/// var rfc1123 = new JsonSerializerOptions { Converters = { new GoTimeJsonConverter(GoTimeFormat.RFC1123) } };
/// JsonSerializer.Deserialize&lt;DateTimeOffset&gt;("\"Wed, 25 Nov 2026 08:01:02 UTC\"", rfc1123);
/// </code>
/// </example>
public sealed class GoTimeJsonConverter : JsonConverterFactory
{
    private readonly GoTimeJsonCodec _codec;

    /// <summary>Go's <c>time.Time</c> marshalling: RFC 3339 with nanoseconds.</summary>
    public GoTimeJsonConverter() => _codec = GoTimeJsonCodec.Go;

    /// <summary>Reads and writes times in <paramref name="layout"/>, as Go's <c>Time.Format</c> and <c>time.Parse</c> do.</summary>
    /// <param name="layout">A Go layout such as <see cref="GoTimeFormat.RFC1123"/> or <c>"2006-01-02 15:04"</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="layout"/> is <see langword="null"/>.</exception>
    public GoTimeJsonConverter(string layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        _codec = GoTimeJsonCodec.ForLayout(layout);
    }

    /// <summary>The layout times are written in (<see cref="GoTimeFormat.RFC3339Nano"/> for Go's marshalling).</summary>
    public string Layout => _codec.Layout;

    /// <summary>Whether <paramref name="typeToConvert"/> is <see cref="DateTimeOffset"/>, <see cref="DateTime"/> or a nullable one of them.</summary>
    /// <param name="typeToConvert">The type to convert.</param>
    /// <returns>Whether this converter handles it.</returns>
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert == typeof(DateTimeOffset) || typeToConvert == typeof(DateTime)
        || typeToConvert == typeof(DateTimeOffset?) || typeToConvert == typeof(DateTime?);

    /// <summary>The converter for one of the types <see cref="CanConvert"/> accepts.</summary>
    /// <param name="typeToConvert">The type to convert.</param>
    /// <param name="options">The serializer options (not used).</param>
    /// <returns>The converter.</returns>
    /// <exception cref="ArgumentException"><paramref name="typeToConvert"/> is not a time type.</exception>
    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(typeToConvert);
        if (typeToConvert == typeof(DateTimeOffset))
        {
            return new GoDateTimeOffsetJsonConverter(_codec);
        }

        if (typeToConvert == typeof(DateTime))
        {
            return new GoDateTimeJsonConverter(_codec);
        }

        if (typeToConvert == typeof(DateTimeOffset?))
        {
            return new NullableGoTimeJsonConverter<DateTimeOffset>(new GoDateTimeOffsetJsonConverter(_codec));
        }

        return typeToConvert == typeof(DateTime?)
            ? new NullableGoTimeJsonConverter<DateTime>(new GoDateTimeJsonConverter(_codec))
            : throw new ArgumentException($"GoTimeJsonConverter converts DateTimeOffset and DateTime, not {typeToConvert}.", nameof(typeToConvert));
    }
}
