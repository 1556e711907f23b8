using System.Buffers;
using System.Text.Json;

namespace GoplNet.Time;

/// <summary>
/// Reads and writes one JSON string holding a time in a Go layout, straight between UTF-8 and the
/// compiled layout: the only strings made are error messages.
/// </summary>
internal sealed class GoTimeJsonCodec
{
    /// <summary>Longer values are rented instead of taken from the stack (no Go layout prints this much).</summary>
    private const int StackLimit = 256;

    private readonly GoTimeLayout _writeLayout;
    private readonly GoTimeLayout _readLayout;
    private readonly string _notAString;

    private GoTimeJsonCodec(GoTimeLayout writeLayout, GoTimeLayout readLayout, string notAString)
    {
        _writeLayout = writeLayout;
        _readLayout = readLayout;
        _notAString = notAString;
    }

    /// <summary>
    /// Go's <c>time.Time</c> marshalling: <c>MarshalJSON</c> writes RFC 3339 with nanoseconds,
    /// <c>UnmarshalJSON</c> reads what <c>time.Parse(time.RFC3339, s)</c> reads.
    /// </summary>
    public static GoTimeJsonCodec Go { get; } = new(
        GoTimeLayout.Compile(GoTimeFormat.RFC3339Nano), GoTimeLayout.Compile(GoTimeFormat.RFC3339), "Time.UnmarshalJSON: input is not a JSON string");

    public string Layout => _writeLayout.Layout;

    public static GoTimeJsonCodec ForLayout(string layout)
    {
        var compiled = GoTimeLayout.Compile(layout);
        return new(compiled, compiled, $"a time in the Go layout {GoQuote.Quote(layout)} must be a JSON string");
    }

    public DateTimeOffset Read(ref Utf8JsonReader reader)
    {
        // Go's UnmarshalJSON leaves the time as it was for null: a new value keeps the zero time.
        if (reader.TokenType == JsonTokenType.Null)
        {
            return default;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException(_notAString);
        }

        var length = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
        char[]? rented = null;
        var chars = length <= StackLimit ? stackalloc char[StackLimit] : (rented = ArrayPool<char>.Shared.Rent(length));
        try
        {
            // Go hands UnmarshalJSON the raw bytes and so fails on escapes (its issue 47353); unescaping
            // reads what .NET's default encoder writes ("\u002B09:00") as well.
            var count = reader.CopyString(chars);
            return _readLayout.TryParseCore(chars[..count], null, out var result, out var error) ? result : throw new JsonException(error);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    public void Write(Utf8JsonWriter writer, DateTimeOffset value)
    {
        var size = _writeLayout.MaxByteCount + 2;
        byte[]? rented = null;
        var buffer = size <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(size));
        try
        {
            _writeLayout.TryFormat(value, buffer[1..], out var written);
            var text = buffer.Slice(1, written);
            if (IsWrittenAsIs(text))
            {
                // Go writes "+09:00" and "'06" as they are; .NET's default encoder would write \u002B and \u0027.
                buffer[0] = (byte)'"';
                buffer[written + 1] = (byte)'"';
                writer.WriteRawValue(buffer[..(written + 2)], skipInputValidation: true);
            }
            else
            {
                writer.WriteStringValue(text);
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Whether the text is printable ASCII that neither JSON nor Go's HTML-safe encoding escapes;
    /// anything else (quotes, backslashes, &lt; &gt; &amp;, control characters, non-ASCII text a
    /// layout may hold) goes through the writer's encoder.
    /// </summary>
    private static bool IsWrittenAsIs(ReadOnlySpan<byte> text)
    {
        foreach (var b in text)
        {
            if (b is < 0x20 or >= 0x7F or (byte)'"' or (byte)'\\' or (byte)'<' or (byte)'>' or (byte)'&')
            {
                return false;
            }
        }

        return true;
    }
}
