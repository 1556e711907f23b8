using System.Globalization;
using System.Text;

namespace GoplNet;

/// <summary>Directory listings in the forms clients parse: <c>ls -l</c> lines for LIST, RFC 3659 facts for MLSD/MLST.</summary>
internal static class FtpListing
{
    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// <summary>One <c>ls -l</c> line: <c>-rw-r--r-- 1 ftp ftp 1234 Nov 25 08:01 name</c> (the year instead of the time past six months).</summary>
    public static void AppendLongLine(StringBuilder output, in FtpEntry entry, DateTime nowUtc)
    {
        output.Append(entry.IsLink ? 'l' : entry.IsDirectory ? 'd' : '-');
        var mode = (int)entry.Mode;
        for (var shift = 8; shift >= 0; shift--)
        {
            output.Append((mode & (1 << shift)) == 0 ? '-' : "rwx"[(8 - shift) % 3]);
        }

        output.Append(' ').Append(entry.Links).Append(" ftp ftp ");
        Span<char> digits = stackalloc char[20];
        entry.Length.TryFormat(digits, out var length, provider: CultureInfo.InvariantCulture);
        output.Append(' ', Math.Max(0, 12 - length)).Append(digits[..length]);

        var modified = entry.LastWriteTimeUtc;
        output.Append(' ').Append(Months[modified.Month - 1]).Append(' ');
        if (modified.Day < 10)
        {
            output.Append(' ');
        }

        output.Append(modified.Day).Append(' ');
        if (Math.Abs((nowUtc - modified).TotalDays) < 180)
        {
            Two(output, modified.Hour).Append(':');
            Two(output, modified.Minute);
        }
        else
        {
            output.Append(' ').Append(modified.Year);
        }

        output.Append(' ').Append(entry.Name).Append("\r\n");
    }

    /// <summary>RFC 3659 facts and the name: <c>type=file;size=1234;modify=20261125080102;perm=rw; name</c>.</summary>
    public static string Facts(in FtpEntry entry, string name, string? typeOverride, bool writable)
    {
        var builder = new StringBuilder();
        AppendFacts(builder, entry, name, typeOverride, writable);
        return builder.ToString();
    }

    /// <summary>Appends the facts of <paramref name="entry"/> and its name (no line end).</summary>
    public static StringBuilder AppendFacts(StringBuilder builder, in FtpEntry entry, string name, string? typeOverride, bool writable)
    {
        builder.Append("type=").Append(typeOverride ?? (entry.IsDirectory ? "dir" : "file")).Append(';');
        if (!entry.IsDirectory)
        {
            builder.Append("size=").Append(entry.Length).Append(';');
        }

        builder.Append("modify=").Append(entry.LastWriteTimeUtc.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)).Append(';');
        builder.Append("perm=").Append(entry.IsDirectory ? (writable ? "elcmfpd" : "el") : (writable ? "radfw" : "r")).Append(';');
        return builder.Append(' ').Append(name);
    }

    private static StringBuilder Two(StringBuilder output, int value) => output.Append((char)('0' + (value / 10))).Append((char)('0' + (value % 10)));
}
