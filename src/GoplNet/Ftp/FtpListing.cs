using System.Globalization;
using System.Text;

namespace GoplNet;

/// <summary>Directory listings in the forms clients parse: <c>ls -l</c> lines for LIST, RFC 3659 facts for MLSD/MLST.</summary>
internal static class FtpListing
{
    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// <summary>One <c>ls -l</c> line: <c>-rw-r--r-- 1 ftp ftp 1234 Nov 25 08:01 name</c> (the year instead of the time past six months).</summary>
    public static void AppendLongLine(StringBuilder output, FileSystemInfo entry, DateTimeOffset now)
    {
        var isDirectory = entry is DirectoryInfo;
        var mode = OperatingSystem.IsWindows() ? (isDirectory ? (UnixFileMode)0b111_101_101 : (UnixFileMode)0b110_100_100) : entry.UnixFileMode;
        // The attributes come from the stat the enumeration already made; no extra call per entry.
        output.Append(isDirectory ? 'd' : entry.Attributes.HasFlag(FileAttributes.ReparsePoint) ? 'l' : '-');
        for (var shift = 8; shift >= 0; shift--)
        {
            output.Append(((int)mode & (1 << shift)) == 0 ? '-' : "rwx"[(8 - shift) % 3]);
        }

        var size = entry is FileInfo file ? file.Length : 4096;
        var modified = entry.LastWriteTimeUtc;
        var recent = Math.Abs((now.UtcDateTime - modified).TotalDays) < 180;
        output.Append(CultureInfo.InvariantCulture, $" 1 ftp ftp {size,12} {Months[modified.Month - 1]} {modified.Day,2} ");
        output.Append(recent
            ? modified.ToString("HH:mm", CultureInfo.InvariantCulture)
            : modified.Year.ToString(" 0000", CultureInfo.InvariantCulture));
        output.Append(' ').Append(entry.Name).Append("\r\n");
    }

    /// <summary>RFC 3659 facts and the name: <c>type=file;size=1234;modify=20261125080102;perm=rw; name</c>.</summary>
    public static string Facts(FileSystemInfo entry, string name, string? typeOverride, bool writable)
    {
        var builder = new StringBuilder();
        var isDirectory = entry is DirectoryInfo;
        builder.Append("type=").Append(typeOverride ?? (isDirectory ? "dir" : "file")).Append(';');
        if (entry is FileInfo file)
        {
            builder.Append(CultureInfo.InvariantCulture, $"size={file.Length};");
        }

        builder.Append("modify=").Append(entry.LastWriteTimeUtc.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)).Append(';');
        builder.Append("perm=").Append(isDirectory ? (writable ? "elcmfpd" : "el") : (writable ? "radfw" : "r")).Append(';');
        builder.Append(' ').Append(name);
        return builder.ToString();
    }
}
