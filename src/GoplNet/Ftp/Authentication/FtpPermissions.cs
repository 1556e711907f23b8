namespace GoplNet.Ftp.Authentication;

/// <summary>What an account may do; a command needing a permission the account lacks is answered 550.</summary>
[Flags]
public enum FtpPermissions
{
    /// <summary>Nothing beyond changing directory and asking about the server.</summary>
    None = 0,

    /// <summary>LIST, NLST, MLSD, MLST, STAT of a path, SIZE, MDTM.</summary>
    List = 1,

    /// <summary>RETR and the checksums (HASH, XCRC, XMD5, XSHA*).</summary>
    Read = 2,

    /// <summary>STOR, STOU and APPE: create and overwrite files.</summary>
    Write = 4,

    /// <summary>DELE.</summary>
    Delete = 8,

    /// <summary>RNFR and RNTO.</summary>
    Rename = 16,

    /// <summary>MKD.</summary>
    CreateDirectory = 32,

    /// <summary>RMD.</summary>
    RemoveDirectory = 64,

    /// <summary>MFMT and SITE CHMOD.</summary>
    SetAttributes = 128,

    /// <summary>List and read: what anonymous accounts get.</summary>
    ReadOnly = List | Read,

    /// <summary>Everything.</summary>
    All = List | Read | Write | Delete | Rename | CreateDirectory | RemoveDirectory | SetAttributes,
}
