using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;

namespace GoplNet.Time;

/// <summary>
/// Appends text to a span of UTF-16 chars or UTF-8 bytes. Layout elements produce ASCII, so one
/// generic writer serves both encodings; literal text comes pre-encoded for each.
/// </summary>
internal ref struct LayoutWriter<TChar>
    where TChar : unmanaged, IBinaryInteger<TChar>
{
    /// <summary>"00" to "99", two characters per number.</summary>
    internal static ReadOnlySpan<byte> TwoDigits =>
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"u8;

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
        while (digits < LayoutFormatter.PowersOfTen.Length && value >= LayoutFormatter.PowersOfTen[digits])
        {
            digits++;
        }

        AppendDigits((ulong)value, Math.Max(digits, width));
    }

    /// <summary>Appends the last <paramref name="count"/> digits of <paramref name="value"/>, zeros first where it has fewer.</summary>
    public void AppendDigits(ulong value, int count)
    {
        var end = Position + count;
        if (end > _destination.Length)
        {
            Overflowed = true;
            return;
        }

        WriteDigits(_destination, end, value, count);
        Position = end;
    }

    /// <summary>Writes the last <paramref name="count"/> digits of <paramref name="value"/> to end at <paramref name="end"/>.</summary>
    public static void WriteDigits(Span<TChar> destination, int end, ulong value, int count)
    {
        // Four digits per step and two per table lookup: fractions have seven or nine digits, and a
        // division per digit would make them the slowest part of a line.
        for (; count > 4; count -= 4, end -= 4)
        {
            var quotient = value / 10_000;
            WriteFour(destination, end, (uint)(value - (quotient * 10_000)));
            value = quotient;
        }

        var rest = (uint)(value % 10_000);
        for (; count >= 2; count -= 2, end -= 2)
        {
            var pair = (int)(rest % 100) * 2;
            rest /= 100;
            destination[end - 1] = TChar.CreateTruncating(TwoDigits[pair + 1]);
            destination[end - 2] = TChar.CreateTruncating(TwoDigits[pair]);
        }

        if (count == 1)
        {
            destination[end - 1] = TChar.CreateTruncating('0' + (rest % 10));
        }
    }

    private static void WriteFour(Span<TChar> destination, int end, uint value)
    {
        var high = (int)(value / 100) * 2;
        var low = (int)(value % 100) * 2;
        destination[end - 4] = TChar.CreateTruncating(TwoDigits[high]);
        destination[end - 3] = TChar.CreateTruncating(TwoDigits[high + 1]);
        destination[end - 2] = TChar.CreateTruncating(TwoDigits[low]);
        destination[end - 1] = TChar.CreateTruncating(TwoDigits[low + 1]);
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
