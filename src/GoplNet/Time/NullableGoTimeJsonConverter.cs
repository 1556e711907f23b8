using System.Text.Json;
using System.Text.Json.Serialization;

namespace GoplNet.Time;

/// <summary>
/// A nullable time: <c>null</c> both ways (Go's <c>*time.Time</c>), anything else through the
/// converter for the value; made by <see cref="GoTimeJsonConverter"/>.
/// </summary>
internal sealed class NullableGoTimeJsonConverter<T>(JsonConverter<T> inner) : JsonConverter<T?>
    where T : struct
{
    public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? null : inner.Read(ref reader, typeof(T), options);

    public override void Write(Utf8JsonWriter writer, T? value, JsonSerializerOptions options)
    {
        if (value is { } present)
        {
            inner.Write(writer, present, options);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
