namespace GoplNet.Time;

/// <summary>The fields of a time as read from a value, before a zone turns them into an instant.</summary>
internal readonly record struct WallClock(int Year, int Month, int Day, int Hour, int Minute, int Second, int Nanosecond);
