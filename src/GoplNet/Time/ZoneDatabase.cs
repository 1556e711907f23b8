using System.Collections.Concurrent;

namespace GoplNet.Time;

/// <summary>
/// Finds the tz database file behind a <see cref="TimeZoneInfo"/> and keeps what it read, so a
/// zone is read once per process and later lookups neither allocate nor touch the disk.
/// </summary>
internal static class ZoneDatabase
{
    private static readonly ConcurrentDictionary<string, TzifZone?> Zones = new(StringComparer.Ordinal);

    /// <summary>The directories Go reads zones from, after <c>TZDIR</c> (which .NET honours too).</summary>
    private static (TimeZoneInfo Info, TzifZone? Zone)? _local;

    private static readonly string[] SystemDirectories = ["/usr/share/zoneinfo", "/usr/share/lib/zoneinfo", "/usr/lib/locale/TZ"];

    /// <summary>The zone's tz data, or <see langword="null"/> when no file describes it (a custom zone).</summary>
    public static TzifZone? Find(TimeZoneInfo zone)
    {
        if (zone == TimeZoneInfo.Utc || zone.Id == "UTC")
        {
            return TzifZone.Utc;
        }

        if (zone == TimeZoneInfo.Local)
        {
            // TimeZoneInfo.Local is replaced only by ClearCachedData: remember the pair.
            var local = _local;
            if (local?.Info != zone)
            {
                _local = local = (zone, Load(zone));
            }

            return local.Value.Zone;
        }

        return Zones.GetOrAdd(zone.Id, static (_, z) => Load(z), zone);
    }

    private static TzifZone? Load(TimeZoneInfo zone)
    {
        if (ReadNamed(zone.Id) is { } named)
        {
            return named;
        }

        // The local zone may have no name of its own (an /etc/localtime that is a copy, not a link).
        return zone == TimeZoneInfo.Local ? ReadFile("/etc/localtime") : null;
    }

    private static TzifZone? ReadNamed(string id)
    {
        // A zone name never climbs out of the database: refuse "..", absolute paths and NULs.
        if (id.Length == 0 || id.StartsWith('/') || id.Contains("..", StringComparison.Ordinal) || id.Contains('\0', StringComparison.Ordinal))
        {
            return null;
        }

        var tzdir = Environment.GetEnvironmentVariable("TZDIR");
        foreach (var directory in string.IsNullOrEmpty(tzdir) ? SystemDirectories : [tzdir, .. SystemDirectories])
        {
            if (ReadFile(Path.Combine(directory, id)) is { } zone)
            {
                return zone;
            }
        }

        return null;
    }

    private static TzifZone? ReadFile(string path)
    {
        try
        {
            return TzifZone.Parse(File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidTimeZoneException or ArgumentException)
        {
            return null;
        }
    }
}
