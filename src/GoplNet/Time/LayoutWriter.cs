using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;

namespace GoplNet;

/// <summary>
/// Appends text to a span of UTF-16 chars or UTF-8 bytes. Layout elements produce ASCII, so one
/// generic writer serves both encodings; literal text comes pre-encoded for each.
/// </summary>
internal ref struct LayoutWriter<TChar>
    where TChar : unmanaged, IBinaryInteger<TChar>
{
    private readonly Span<TChar> _destination;

    public LayoutWriter(Span<TChar> destination)
    {
        _destination = destination;
        Position = 0;
        Overflowed = false;
    }

    public int Position { get; private set; }

    public bool Overflowed { get; private set; }

    public void AppendAscii(char c)
    {
        if (Position < _destination.Length)
        {
            _destination[Position++] = TChar.CreateTruncating(c);
        }
        else
        {
            Overflowed = true;
        }
    }

    public void AppendAscii(string text)
    {
        foreach (var c in text)
        {
            AppendAscii(c);
        }
    }

    /// <summary>Appends text that may hold any character (a literal, a zone name).</summary>
    public void AppendText(string text, byte[] utf8)
    {
        // Separators such as ':' and '\n' are one ASCII character.
        if (utf8.Length == 1)
        {
            AppendAscii(text[0]);
            return;
        }

        if (typeof(TChar) == typeof(char))
        {
            Append(MemoryMarshal.Cast<char, TChar>(text.AsSpan()));
        }
        else
        {
            Append(MemoryMarshal.Cast<byte, TChar>(utf8.AsSpan()));
        }
    }

    /// <summary>Appends a name, encoding it without allocating.</summary>
    public void AppendName(string name)
    {
        if (typeof(TChar) == typeof(char))
        {
            Append(MemoryMarshal.Cast<char, TChar>(name.AsSpan()));
            return;
        }

        var rest = MemoryMarshal.Cast<TChar, byte>(_destination[Position..]);
        if (Encoding.UTF8.TryGetBytes(name, rest, out var written))
        {
            Position += written;
        }
        else
        {
            Overflowed = true;
        }
    }

    /// <summary>Appends a non-negative number padded with zeros to <paramref name="width"/> digits.</summary>
    public void AppendNumber(long value, int width)
    {
        // Clock fields (hours, minutes, seconds, days) are one or two digits: write them directly.
        if (value < 100 && width <= 2 && Position + 2 <= _destination.Length)
        {
            if (value >= 10 || width == 2)
            {
                _destination[Position++] = TChar.CreateTruncating((char)('0' + (value / 10)));
            }

            _destination[Position++] = TChar.CreateTruncating((char)('0' + (value % 10)));
            return;
        }

        var digits = 1;
        for (var rest = (ulong)value; rest >= 10; rest /= 10)
        {
            digits++;
        }

        var end = Position + Math.Max(digits, width);
        if (end > _destination.Length)
        {
            Overflowed = true;
            return;
        }

        // Right to left, padding with zeros once the digits run out.
        for (var (i, rest) = (end - 1, (ulong)value); i >= Position; i--, rest /= 10)
        {
            _destination[i] = TChar.CreateTruncating('0' + (rest % 10));
        }

        Position = end;
    }

    private void Append(ReadOnlySpan<TChar> text)
    {
        if (text.TryCopyTo(_destination[Position..]))
        {
            Position += text.Length;
        }
        else
        {
            Overflowed = true;
        }
    }
}
