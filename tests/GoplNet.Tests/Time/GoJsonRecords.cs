using System.Text.Json.Serialization;
using GoplNet.Time;

namespace GoplNet.Tests.Time;

/// <summary>The .NET side of the generator's jsonRecord: the same fields, times as DateTimeOffset.</summary>
public sealed class GoJsonRecord
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("at")]
    [JsonConverter(typeof(GoTimeJsonConverter))]
    public DateTimeOffset At { get; set; }

    [JsonPropertyName("optional")]
    [JsonConverter(typeof(GoTimeJsonConverter))]
    public DateTimeOffset? Optional { get; set; }

    [JsonPropertyName("omitted")]
    [JsonConverter(typeof(GoTimeJsonConverter))]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? Omitted { get; set; }

    [JsonPropertyName("day")]
    [GoTimeJson(GoTimeFormat.DateOnly)]
    public DateTimeOffset Day { get; set; }

    [JsonPropertyName("minute")]
    [GoTimeJson("2006-01-02 15:04")]
    public DateTimeOffset Minute { get; set; }

    [JsonPropertyName("mail")]
    [GoTimeJson(GoTimeFormat.RFC1123Z)]
    public DateTimeOffset Mail { get; set; }

    [JsonPropertyName("web")]
    [GoTimeJson(GoTimeFormat.RFC1123)]
    public DateTimeOffset Web { get; set; }

    [JsonPropertyName("stamp")]
    [GoTimeJson(GoTimeFormat.Layout)]
    public DateTimeOffset Stamp { get; set; }
}

/// <summary>The generator's jsonRecord read into DateTime properties, which keep the UTC instant.</summary>
public sealed class GoJsonDateTimeRecord
{
    [JsonPropertyName("at")]
    [JsonConverter(typeof(GoTimeJsonConverter))]
    public DateTime At { get; set; }

    [JsonPropertyName("optional")]
    [JsonConverter(typeof(GoTimeJsonConverter))]
    public DateTime? Optional { get; set; }

    [JsonPropertyName("day")]
    [GoTimeJson(GoTimeFormat.DateOnly)]
    public DateTime Day { get; set; }

    [JsonPropertyName("mail")]
    [GoTimeJson(GoTimeFormat.RFC1123Z)]
    public DateTime Mail { get; set; }
}

/// <summary>A [GoTimeJson] on a property that is no time, which the modifier refuses.</summary>
public sealed class MisplacedGoTimeJson
{
    [GoTimeJson(GoTimeFormat.Kitchen)]
    public string? Text { get; set; }
}

[JsonSerializable(typeof(GoJsonRecord))]
[JsonSerializable(typeof(GoJsonDateTimeRecord))]
[JsonSerializable(typeof(MisplacedGoTimeJson))]
[JsonSerializable(typeof(DateTimeOffset))]
[JsonSerializable(typeof(DateTimeOffset?))]
[JsonSerializable(typeof(DateTime))]
internal sealed partial class GoJsonContext : JsonSerializerContext;
