using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using GoplNet.Time;

namespace GoplNet.Tests.Time;

public sealed class GoTimeJsonConverterTests
{
    private static readonly DateTimeOffset Instant = new DateTimeOffset(2026, 11, 25, 8, 1, 2, TimeSpan.Zero).AddTicks(1_234_567);
    private static readonly JsonSerializerOptions GoOptions = new() { Converters = { new GoTimeJsonConverter() } };
    private static readonly JsonSerializerOptions EscapedLayoutOptions = new() { Converters = { new GoTimeJsonConverter("<15:04> \"é\"") } };

    [Fact]
    public void A_layout_given_in_the_options_reads_and_writes_every_time_type()
    {
        var options = new JsonSerializerOptions { Converters = { new GoTimeJsonConverter(GoTimeFormat.RFC1123) } };

        Assert.Equal("\"Wed, 25 Nov 2026 08:01:02 UTC\"", JsonSerializer.Serialize(Instant, options));
        Assert.Equal("\"Wed, 25 Nov 2026 08:01:02 UTC\"", JsonSerializer.Serialize<DateTime?>(Instant.UtcDateTime, options));
        Assert.Equal(Instant.AddTicks(-1_234_567), JsonSerializer.Deserialize<DateTimeOffset?>("\"Wed, 25 Nov 2026 08:01:02 UTC\"", options));
        Assert.Null(JsonSerializer.Deserialize<DateTime?>("null", options));
        Assert.Equal(GoTimeFormat.RFC1123, new GoTimeJsonConverter(GoTimeFormat.RFC1123).Layout);
        Assert.Equal(GoTimeFormat.RFC3339Nano, new GoTimeJsonConverter().Layout);
    }

    [Fact]
    public void A_DateTime_is_written_at_the_offset_of_its_kind()
    {
        var options = new JsonSerializerOptions { Converters = { new GoTimeJsonConverter("2006-01-02 15:04 -07:00") } };
        var local = new DateTime(2026, 11, 25, 8, 1, 0, DateTimeKind.Local);
        var localOffset = GoTimeFormat.Format(new DateTimeOffset(local), "-07:00");

        Assert.Equal("\"2026-11-25 08:01 +00:00\"", JsonSerializer.Serialize(new DateTime(2026, 11, 25, 8, 1, 0, DateTimeKind.Utc), options));
        Assert.Equal("\"2026-11-25 08:01 +00:00\"", JsonSerializer.Serialize(new DateTime(2026, 11, 25, 8, 1, 0, DateTimeKind.Unspecified), options));
        Assert.Equal($"\"2026-11-25 08:01 {localOffset}\"", JsonSerializer.Serialize(local, options));
        Assert.Equal(DateTimeKind.Utc, JsonSerializer.Deserialize<DateTime>("\"2026-11-25 08:01 +09:00\"", options).Kind);
    }

    [Fact]
    public void A_value_that_is_not_a_string_fails_with_Gos_text()
    {
        var options = GoOptions;

        var e = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<DateTimeOffset>("12", options));

        Assert.StartsWith("Time.UnmarshalJSON: input is not a JSON string", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_that_does_not_parse_fails_with_Gos_error_text()
    {
        var options = GoOptions;

        var e = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<DateTimeOffset>("\"2026-11-25 08:01:02Z\"", options));

        Assert.StartsWith(
            "parsing time \"2026-11-25 08:01:02Z\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \" 08:01:02Z\" as \"T\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Escaped_characters_are_read_as_the_characters_they_stand_for()
    {
        var options = GoOptions;

        var parsed = JsonSerializer.Deserialize<DateTimeOffset>("\"2026-11-25T17:01:02\\u002B09:00\"", options);

        Assert.Equal(new DateTimeOffset(2026, 11, 25, 17, 1, 2, TimeSpan.FromHours(9)), parsed);
    }

    [Fact]
    public void Text_that_JSON_escapes_goes_through_the_writers_encoder()
    {
        Assert.Equal("\"\\u003C08:01\\u003E \\u0022\\u00E9\\u0022\"", JsonSerializer.Serialize(Instant, EscapedLayoutOptions));
    }

    [Fact]
    public void GoTimeJson_on_a_property_that_is_no_time_is_refused()
    {
        var options = GoTimeJsonGoldenTests.Options("source-generated");

        var e = Assert.Throws<InvalidOperationException>(() => JsonSerializer.Serialize(new MisplacedGoTimeJson(), options));

        Assert.Contains("MisplacedGoTimeJson.Text", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reading_and_writing_allocate_nothing()
    {
        var options = new JsonSerializerOptions();
        var converter = (JsonConverter<DateTimeOffset>)new GoTimeJsonConverter().CreateConverter(typeof(DateTimeOffset), options);
        var json = Encoding.UTF8.GetBytes("\"2026-11-25T17:01:02.1234567+09:00\"");
        var buffer = new ArrayBufferWriter<byte>(256);
        using var writer = new Utf8JsonWriter(buffer);

        RoundTrip(converter, json, buffer, writer, options);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            RoundTrip(converter, json, buffer, writer, options);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(json, buffer.WrittenSpan.ToArray());
    }

    private static void RoundTrip(JsonConverter<DateTimeOffset> converter, byte[] json, ArrayBufferWriter<byte> buffer, Utf8JsonWriter writer, JsonSerializerOptions options)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        var value = converter.Read(ref reader, typeof(DateTimeOffset), options);
        buffer.ResetWrittenCount();
        writer.Reset();
        converter.Write(writer, value, options);
        writer.Flush();
    }
}
