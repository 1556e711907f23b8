using System.Buffers.Binary;
using System.Text;

namespace GoplNet.Time;

/// <summary>
/// A time zone read from the system tz database (a TZif file under <c>TZDIR</c> or
/// <c>/usr/share/zoneinfo</c>), the source Go's <c>time.LoadLocation</c> reads, with the offsets to
/// the second and the abbreviations (<c>JST</c>, <c>EDT</c>, <c>LMT</c>, <c>+03</c>) that
/// <see cref="TimeZoneInfo"/> rounds or lacks. Lookups follow Go's <c>Location.lookup</c>.
/// </summary>
internal sealed class TzifZone
{
    private readonly long[] _transitions;
    private readonly byte[] _transitionTypes;
    private readonly (int Offset, bool IsDst, string Name)[] _types;
    private readonly PosixZoneRule? _footer;
    private readonly int _firstType;

    private TzifZone(long[] transitions, byte[] transitionTypes, (int, bool, string)[] types, PosixZoneRule? footer)
    {
        _transitions = transitions;
        _transitionTypes = transitionTypes;
        _types = types;
        _footer = footer;
        _firstType = FirstType();
    }

    /// <summary>The zone every instant of which is UTC, named "UTC".</summary>
    public static TzifZone Utc { get; } = new([], [], [(0, false, "UTC")], null);

    /// <summary>The offset east of UTC in seconds and the abbreviation in force at <paramref name="unixSeconds"/>.</summary>
    public (int Offset, string Name) Lookup(long unixSeconds)
    {
        if (_transitions.Length == 0 || unixSeconds < _transitions[0])
        {
            // Go treats a file with no transitions as one transition at the beginning of time.
            if (_transitions.Length == 0 && _footer is not null)
            {
                return _footer.Lookup(unixSeconds);
            }

            var first = _types[_firstType];
            return (first.Offset, first.Name);
        }

        var index = Array.BinarySearch(_transitions, unixSeconds);
        if (index < 0)
        {
            index = ~index - 1;
        }

        if (index == _transitions.Length - 1 && _footer is not null)
        {
            return _footer.Lookup(unixSeconds);
        }

        var type = _types[_transitionTypes[index]];
        return (type.Offset, type.Name);
    }

    /// <summary>
    /// The offset of the zone type called <paramref name="name"/>, preferring one in force at
    /// <paramref name="unixSeconds"/> (read as local time), as Go's <c>Location.lookupName</c> does.
    /// </summary>
    public bool TryLookupName(string name, long unixSeconds, out int offset)
    {
        foreach (var type in _types)
        {
            if (type.Name != name)
            {
                continue;
            }

            var inForce = Lookup(unixSeconds - type.Offset);
            if (inForce.Name == name)
            {
                offset = inForce.Offset;
                return true;
            }
        }

        foreach (var type in _types)
        {
            if (type.Name == name)
            {
                offset = type.Offset;
                return true;
            }
        }

        offset = 0;
        return false;
    }

    /// <summary>
    /// The UTC instant (Unix seconds) of a local wall-clock time, found as Go's <c>time.Date</c>
    /// finds it: look the offset up as if the time were UTC, then once more at the corrected instant.
    /// </summary>
    public long ToUtc(long localSeconds)
    {
        var offset = Lookup(localSeconds).Offset;
        return offset == 0 ? localSeconds : localSeconds - Lookup(localSeconds - offset).Offset;
    }

    /// <summary>Reads TZif data (versions 1 to 4); uses the 64-bit section and the footer when present.</summary>
    /// <exception cref="InvalidTimeZoneException">The data is not a TZif file.</exception>
    public static TzifZone Parse(ReadOnlySpan<byte> data)
    {
        var header = ReadHeader(data);
        var version = data[4];
        var body = data[44..];
        if (version >= (byte)'2')
        {
            // Skip the 32-bit section; the 64-bit one follows with a header of its own.
            body = body[header.Length32..];
            header = ReadHeader(body);
            body = body[44..];
            return ReadBody(body, header, 8, readFooter: true);
        }

        return ReadBody(body, header, 4, readFooter: false);
    }

    private static TzifZone ReadBody(ReadOnlySpan<byte> body, Header h, int timeSize, bool readFooter)
    {
        var transitions = new long[h.TimeCount];
        for (var i = 0; i < h.TimeCount; i++)
        {
            transitions[i] = timeSize == 8
                ? BinaryPrimitives.ReadInt64BigEndian(body[(i * 8)..])
                : BinaryPrimitives.ReadInt32BigEndian(body[(i * 4)..]);
        }

        body = body[(h.TimeCount * timeSize)..];
        var transitionTypes = body[..h.TimeCount].ToArray();
        body = body[h.TimeCount..];
        var rawTypes = body[..(h.TypeCount * 6)];
        body = body[(h.TypeCount * 6)..];
        var abbreviations = body[..h.CharCount];
        body = body[h.CharCount..];

        var types = new (int, bool, string)[h.TypeCount];
        for (var i = 0; i < h.TypeCount; i++)
        {
            var entry = rawTypes[(i * 6)..];
            var offset = BinaryPrimitives.ReadInt32BigEndian(entry);
            var isDst = entry[4] != 0;
            var nameStart = entry[5];
            var name = abbreviations[nameStart..];
            var end = name.IndexOf((byte)0);
            types[i] = (offset, isDst, Encoding.ASCII.GetString(end < 0 ? name : name[..end]));
        }

        foreach (var type in transitionTypes)
        {
            if (type >= types.Length)
            {
                throw new InvalidTimeZoneException("A TZif transition names a type that does not exist.");
            }
        }

        PosixZoneRule? footer = null;
        if (readFooter)
        {
            var skip = (h.LeapCount * (timeSize + 4)) + h.StdWallCount + h.UtLocalCount;
            var rest = body[Math.Min(skip, body.Length)..];
            if (rest.Length > 1 && rest[0] == (byte)'\n')
            {
                var end = rest[1..].IndexOf((byte)'\n');
                if (end > 0)
                {
                    footer = PosixZoneRule.TryParse(Encoding.ASCII.GetString(rest.Slice(1, end)));
                }
            }
        }

        return new TzifZone(transitions, transitionTypes, types, footer);
    }

    private static Header ReadHeader(ReadOnlySpan<byte> data)
    {
        if (data.Length < 44 || !data[..4].SequenceEqual("TZif"u8))
        {
            throw new InvalidTimeZoneException("Not a TZif file.");
        }

        var header = new Header(Count(data, 20), Count(data, 24), Count(data, 28), Count(data, 32), Count(data, 36), Count(data, 40));
        if (header.TypeCount == 0)
        {
            throw new InvalidTimeZoneException("A TZif file without local time types.");
        }

        return header;
    }

    private static int Count(ReadOnlySpan<byte> data, int at) => checked((int)BinaryPrimitives.ReadUInt32BigEndian(data[at..]));

    /// <summary>The type for instants before the first transition, chosen as Go's <c>lookupFirstZone</c> does.</summary>
    private int FirstType()
    {
        if (!_transitionTypes.Contains((byte)0))
        {
            return 0;
        }

        if (_transitionTypes.Length > 0 && _types[_transitionTypes[0]].IsDst)
        {
            for (var i = _transitionTypes[0] - 1; i >= 0; i--)
            {
                if (!_types[i].IsDst)
                {
                    return i;
                }
            }
        }

        for (var i = 0; i < _types.Length; i++)
        {
            if (!_types[i].IsDst)
            {
                return i;
            }
        }

        return 0;
    }

    private readonly record struct Header(int UtLocalCount, int StdWallCount, int LeapCount, int TimeCount, int TypeCount, int CharCount)
    {
        /// <summary>The size of a version 1 (32-bit) data block.</summary>
        public int Length32 => (TimeCount * 5) + (TypeCount * 6) + CharCount + (LeapCount * 8) + StdWallCount + UtLocalCount;
    }
}
