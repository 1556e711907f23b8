namespace GoplNet.Ftp.Storage;

/// <summary>How an upload treats an existing file.</summary>
public enum FtpUploadMode
{
    /// <summary>STOR: a new file replaces the old one when the upload commits.</summary>
    Replace,

    /// <summary>APPE: write after the existing content (needs <see cref="FtpStorageCapabilities.Append"/>).</summary>
    Append,

    /// <summary>REST then STOR: overwrite from the offset and cut what followed (needs <see cref="FtpStorageCapabilities.Resume"/>).</summary>
    Resume,

    /// <summary>STOU: like <see cref="Replace"/>, but the commit fails rather than replace a file that appeared meanwhile.</summary>
    CreateNew,
}
