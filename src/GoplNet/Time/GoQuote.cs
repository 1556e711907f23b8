using System.Globalization;
using System.Text;

namespace GoplNet.Time;

/// <summary>Go's <c>time.quote</c>, the quoting of Go's time error messages.</summary>
internal static class GoQuote
{
    /// <summary>Go's <c>time.quote</c>: double quotes, with bytes of non-ASCII and control characters as <c>\xNN</c>.</summary>
    public static string Quote(ReadOnlySpan<char> text)
    {
        var builder = new StringBuilder(text.Length + 2).Append('"');
        var bytes = new byte[Encoding.UTF8.GetByteCount(text)];
        Encoding.UTF8.GetBytes(text, bytes);
        foreach (var b in bytes)
        {
            if (b >= 0x80 || b < ' ')
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\x{b:x2}");
            }
            else
            {
                if (b is (byte)'"' or (byte)'\\')
                {
                    builder.Append('\\');
                }

                builder.Append((char)b);
            }
        }

        return builder.Append('"').ToString();
    }
}
