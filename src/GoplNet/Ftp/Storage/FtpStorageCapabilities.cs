namespace GoplNet.Ftp.Storage;

/// <summary>The optional operations of an <see cref="IFtpFileSystem"/>.</summary>
[Flags]
public enum FtpStorageCapabilities
{
    /// <summary>Only the basic operations: list, read, replace, delete, create and remove directories, rename.</summary>
    None = 0,

    /// <summary>Uploads may append to an existing file (APPE).</summary>
    Append = 1,

    /// <summary>Uploads may write into an existing file from an offset (REST then STOR).</summary>
    Resume = 2,

    /// <summary>Renames are atomic: no client ever sees both names or neither (a copy-then-delete rename is not).</summary>
    AtomicRename = 4,

    /// <summary>Modification times can be set (MFMT).</summary>
    SetLastWriteTime = 8,

    /// <summary>Unix permission bits can be set (SITE CHMOD).</summary>
    SetMode = 16,
}
