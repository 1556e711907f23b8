using System.Text.Json;
using System.Text.Json.Serialization;

namespace GoplNet.Time;

/// <summary><see cref="DateTimeOffset"/> in a Go layout; made by <see cref="GoTimeJsonConverter"/>.</summary>
internal sealed class GoDateTimeOffsetJsonConverter(GoTimeJsonCodec codec) : JsonConverter<DateTimeOffset>
{
    /// <summary>Null reaches <see cref="Read"/>, which gives Go's zero time instead of failing.</summary>
    public override bool HandleNull => true;

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => codec.Read(ref reader);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => codec.Write(writer, value);
}
