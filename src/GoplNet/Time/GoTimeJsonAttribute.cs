using System.Text.Json.Serialization.Metadata;

namespace GoplNet.Time;

/// <summary>
/// Gives one <see cref="DateTimeOffset"/> or <see cref="DateTime"/> property (or a nullable one)
/// its own Go layout in JSON: <c>[GoTimeJson("2006-01-02 15:04")]</c>. It takes effect through
/// <see cref="ApplyLayouts"/>, a contract modifier added to the serializer's resolver.
/// </summary>
/// <remarks>
/// Why an attribute of its own and a modifier, not a subclass of <c>JsonConverterAttribute</c>:
/// the System.Text.Json source generator ignores subclasses of <c>JsonConverterAttribute</c>
/// (warning SYSLIB1223), so such an attribute would silently do nothing in a source-generated
/// <c>JsonSerializerContext</c>; the modifier reads this attribute from the property metadata both
/// the generator and reflection provide, so one form serves both, trimmed or AOT-compiled. The name
/// is <c>GoTimeJson</c> rather than <c>GoTimeLayout</c>, since <c>[GoTimeLayout(...)]</c> would
/// read as the <see cref="GoTimeLayout"/> class. Without a layout of its own a property can take
/// Go's default marshalling with <c>[JsonConverter(typeof(GoTimeJsonConverter))]</c>.
/// </remarks>
/// <example>
/// <code>
/// public sealed record Booking(
///     [property: GoTimeJson("2006-01-02 15:04")] DateTimeOffset Start,
///     [property: GoTimeJson(GoTimeFormat.RFC1123)] DateTime? Confirmed);
///
/// [JsonSerializable(typeof(Booking))]
/// internal sealed partial class AppJsonContext : JsonSerializerContext;
///
/// var options = new JsonSerializerOptions
/// {
///     TypeInfoResolver = AppJsonContext.Default.WithAddedModifier(GoTimeJsonAttribute.ApplyLayouts),
/// };
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, AllowMultiple = false)]
public sealed class GoTimeJsonAttribute : Attribute
{
    /// <summary>Marks a property to be read and written in <paramref name="layout"/>.</summary>
    /// <param name="layout">A Go layout such as <c>"2006-01-02 15:04"</c> or <see cref="GoTimeFormat.RFC1123"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="layout"/> is <see langword="null"/>.</exception>
    public GoTimeJsonAttribute(string layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        Layout = layout;
    }

    /// <summary>The Go layout of the property.</summary>
    public string Layout { get; }

    /// <summary>
    /// A contract modifier (for <c>WithAddedModifier</c> or <see cref="DefaultJsonTypeInfoResolver.Modifiers"/>)
    /// that gives every property marked <c>[GoTimeJson]</c> a <see cref="GoTimeJsonConverter"/> for its layout.
    /// </summary>
    /// <param name="typeInfo">The contract being built.</param>
    /// <exception cref="ArgumentNullException"><paramref name="typeInfo"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">A marked property is not a <see cref="DateTimeOffset"/> or <see cref="DateTime"/>.</exception>
    public static void ApplyLayouts(JsonTypeInfo typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        if (typeInfo.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        foreach (var property in typeInfo.Properties)
        {
            if (property.AttributeProvider?.GetCustomAttributes(typeof(GoTimeJsonAttribute), inherit: false) is not [GoTimeJsonAttribute attribute, ..])
            {
                continue;
            }

            var converter = new GoTimeJsonConverter(attribute.Layout);
            property.CustomConverter = converter.CanConvert(property.PropertyType)
                ? converter
                : throw new InvalidOperationException(
                    $"[GoTimeJson] is on {typeInfo.Type}.{property.Name}, a {property.PropertyType}; it applies to DateTimeOffset and DateTime.");
        }
    }
}
