using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using GoplNet.Ftp.Authentication;
using GoplNet.Ftp.Storage;

namespace GoplNet.Ftp.Protocol;

/// <summary>Directory listings in the forms clients parse: <c>ls -l</c> lines for LIST, RFC 3659 facts for MLSD/MLST.</summary>
internal static class FtpListing
{
    /// <summary>The fact names, in the order of the <see cref="FtpFacts"/> bits.</summary>
    private static readonly string[] FactNames = ["type", "size", "modify", "perm", "unique", "unix.mode", "unix.uid", "unix.gid"];

    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// <summary>
    /// The listing text of <paramref name="entries"/>: <c>ls -l</c> lines, names, or RFC 3659 facts.
    /// This and the line builders run once per entry, so they are compiled fully optimized from
    /// their first call: a server's first listings of a large directory do not run unoptimized code.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string Render(IReadOnlyList<FtpEntry> entries, FtpListingKind kind, FtpFacts facts, FtpPermissions permissions, DateTime nowUtc)
    {
        var output = new StringBuilder(entries.Count * (kind == FtpListingKind.Names ? 24 : 80));
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            switch (kind)
            {
                case FtpListingKind.Facts:
                    AppendFacts(output, entry, facts, permissions).Append("\r\n");
                    break;
                case FtpListingKind.Names:
                    output.Append(entry.Name).Append("\r\n");
                    break;
                default:
                    AppendLongLine(output, entry, nowUtc);
                    break;
            }
        }

        return output.ToString();
    }

    /// <summary>One <c>ls -l</c> line: <c>-rw-r--r-- 1 ftp ftp 1234 Nov 25 08:01 name</c> (the year instead of the time past six months).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

    /// <summary>
    /// RFC 3659 facts, those selected, then a space and the name:
    /// <c>type=file;size=1234;modify=20261125080102;perm=rw;unique=803U2a41;unix.mode=0644;unix.uid=0;unix.gid=0; name</c>.
    /// Facts the storage does not know (unique, owner) are left out.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static StringBuilder AppendFacts(StringBuilder builder, in FtpEntry entry, FtpFacts facts, FtpPermissions permissions)
    {
        if ((facts & FtpFacts.Type) != 0)
        {
            builder.Append("type=").Append(entry.IsDirectory ? "dir" : "file").Append(';');
        }

        if ((facts & FtpFacts.Size) != 0 && !entry.IsDirectory)
        {
            builder.Append("size=").Append(entry.Length).Append(';');
        }

        if ((facts & FtpFacts.Modify) != 0)
        {
            builder.Append("modify=").Append(entry.LastWriteTimeUtc.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)).Append(';');
        }

        if ((facts & FtpFacts.Perm) != 0)
        {
            builder.Append("perm=");
            AppendPermissions(builder, entry.IsDirectory, permissions).Append(';');
        }

        if ((facts & FtpFacts.Unique) != 0 && entry.Unique is { } unique)
        {
            builder.Append("unique=").Append(unique).Append(';');
        }

        if ((facts & FtpFacts.UnixMode) != 0)
        {
            builder.Append("unix.mode=0").Append(Convert.ToString((int)entry.Mode & 0xFFF, 8)).Append(';');
        }

        if ((facts & FtpFacts.UnixOwner) != 0 && entry.UserId is { } uid)
        {
            builder.Append("unix.uid=").Append(uid).Append(';');
        }

        if ((facts & FtpFacts.UnixGroup) != 0 && entry.GroupId is { } gid)
        {
            builder.Append("unix.gid=").Append(gid).Append(';');
        }

        return builder.Append(' ').Append(entry.Name);
    }

    /// <summary>The facts named in an OPTS MLST argument (<c>type;size;</c>, any case); unknown names are ignored.</summary>
    public static FtpFacts ParseFacts(string argument)
    {
        var facts = FtpFacts.None;
        foreach (var name in argument.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var index = Array.FindIndex(FactNames, n => n.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (index >= 0)
            {
                facts |= (FtpFacts)(1 << index);
            }
        }

        return facts;
    }

    /// <summary>The names of <paramref name="facts"/>, each followed by <c>;</c>, those in <paramref name="selected"/> marked with <c>*</c> when <paramref name="marked"/>.</summary>
    public static string DescribeFacts(FtpFacts facts, FtpFacts selected, bool marked)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < FactNames.Length; i++)
        {
            var fact = (FtpFacts)(1 << i);
            if ((facts & fact) != 0)
            {
                builder.Append(FactNames[i]).Append(marked && (selected & fact) != 0 ? "*;" : ";");
            }
        }

        return builder.ToString();
    }

    private static StringBuilder Two(StringBuilder output, int value) => output.Append((char)('0' + (value / 10))).Append((char)('0' + (value % 10)));

    private static readonly (FtpPermissions Permission, string Letters)[] DirectoryLetters =
        [(FtpPermissions.List, "l"), (FtpPermissions.Write, "c"), (FtpPermissions.CreateDirectory, "m"), (FtpPermissions.Rename, "f"), (FtpPermissions.RemoveDirectory, "p"), (FtpPermissions.Delete, "d")];

    private static readonly (FtpPermissions Permission, string Letters)[] FileLetters =
        [(FtpPermissions.Read, "r"), (FtpPermissions.Write, "aw"), (FtpPermissions.Delete, "d"), (FtpPermissions.Rename, "f")];

    /// <summary>RFC 3659's perm fact: what this account may do with the entry (a directory can always be entered).</summary>
    private static StringBuilder AppendPermissions(StringBuilder builder, bool directory, FtpPermissions permissions)
    {
        if (directory)
        {
            builder.Append('e');
        }

        foreach (var (permission, letters) in directory ? DirectoryLetters : FileLetters)
        {
            if ((permissions & permission) != 0)
            {
                builder.Append(letters);
            }
        }

        return builder;
    }
}

/// <summary>The RFC 3659 facts MLST and MLSD can show (OPTS MLST selects them).</summary>
[Flags]
internal enum FtpFacts
{
    /// <summary>No facts: names alone.</summary>
    None = 0,

    /// <summary><c>type</c>: file or dir.</summary>
    Type = 1,

    /// <summary><c>size</c>: a file's length in bytes.</summary>
    Size = 2,

    /// <summary><c>modify</c>: the last modification, UTC.</summary>
    Modify = 4,

    /// <summary><c>perm</c>: what the session may do with the entry.</summary>
    Perm = 8,

    /// <summary><c>unique</c>: the same for two names of one file (device and inode).</summary>
    Unique = 16,

    /// <summary><c>unix.mode</c>: the octal permission bits.</summary>
    UnixMode = 32,

    /// <summary><c>unix.uid</c>: the owner's user id.</summary>
    UnixOwner = 64,

    /// <summary><c>unix.gid</c>: the owner's group id.</summary>
    UnixGroup = 128,

    /// <summary>Every fact.</summary>
    All = 255,

}
