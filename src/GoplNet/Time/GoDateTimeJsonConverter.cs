using System.Text.Json;
using System.Text.Json.Serialization;

namespace GoplNet.Time;

/// <summary>
/// <see cref="DateTime"/> in a Go layout, as its UTC instant; made by <see cref="GoTimeJsonConverter"/>.
/// A local time is written at the local offset, an unspecified one as UTC.
/// </summary>
internal sealed class GoDateTimeJsonConverter(GoTimeJsonCodec codec) : JsonConverter<DateTime>
{
    /// <summary>Null reaches <see cref="Read"/>, which gives Go's zero time instead of failing.</summary>
    public override bool HandleNull => true;

    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => codec.Read(ref reader).UtcDateTime;

    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) =>
        codec.Write(writer, value.Kind == DateTimeKind.Local ? new DateTimeOffset(value) : new DateTimeOffset(value.Ticks, TimeSpan.Zero));
}
