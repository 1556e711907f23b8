namespace GoplNet.Time;

/// <summary>The elements of a Go layout, one per reference-time token ("Jan", "2006", "-07:00", ".000" …).</summary>
internal enum LayoutElement : byte
{
    None,
    LongMonth,              // January
    Month,                  // Jan
    NumMonth,               // 1
    ZeroMonth,              // 01
    LongWeekDay,            // Monday
    WeekDay,                // Mon
    Day,                    // 2
    UnderDay,               // _2
    ZeroDay,                // 02
    UnderYearDay,           // __2
    ZeroYearDay,            // 002
    Hour,                   // 15
    Hour12,                 // 3
    ZeroHour12,             // 03
    Minute,                 // 4
    ZeroMinute,             // 04
    Second,                 // 5
    ZeroSecond,             // 05
    LongYear,               // 2006
    Year,                   // 06
    PM,                     // PM
    LowerPM,                // pm
    ZoneName,               // MST
    Iso8601Zone,            // Z0700
    Iso8601SecondsZone,     // Z070000
    Iso8601ShortZone,       // Z07
    Iso8601ColonZone,       // Z07:00
    Iso8601ColonSecondsZone, // Z07:00:00
    NumZone,                // -0700
    NumSecondsZone,         // -070000
    NumShortZone,           // -07
    NumColonZone,           // -07:00
    NumColonSecondsZone,    // -07:00:00
    FractionZeros,          // .000 or ,000: exactly that many digits
    FractionNines,          // .999 or ,999: up to that many digits, trailing zeros dropped
}
