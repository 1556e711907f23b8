namespace GoplNet.Time;

/// <summary>The English month and day names Go's layouts print and read, long and three-letter.</summary>
internal static class GoNames
{
    public static readonly string[] LongMonths =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    public static readonly string[] LongDays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

    public static readonly string[] Months = [.. LongMonths.Select(m => m[..3])];

    public static readonly string[] Days = [.. LongDays.Select(d => d[..3])];
}
