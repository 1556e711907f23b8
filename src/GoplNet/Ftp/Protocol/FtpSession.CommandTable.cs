using System.Collections.Frozen;
using GoplNet.Ftp.Authentication;
using GoplNet.Ftp.Storage;
using static GoplNet.Ftp.Protocol.FtpArgument;
using static GoplNet.Ftp.Protocol.FtpCommandFlags;

namespace GoplNet.Ftp.Protocol;

/// <summary>
/// The command table: every verb the server knows, with the rules the dispatcher applies before
/// its handler. HELP, HELP verb, SITE HELP and FEAT are read from here too, so a command's
/// policy, syntax and feature line live in one place.
/// </summary>
internal sealed partial class FtpSession
{
    private const string Rfc959 = "RFC 959";
    private const string Rfc2228 = "RFC 2228, RFC 4217";
    private const string Rfc2428 = "RFC 2428";
    private const string Rfc3659 = "RFC 3659";

    /// <summary>Every command, in the order HELP lists them.</summary>
    internal static readonly IReadOnlyList<FtpCommand> Commands =
    [
        // Login, security and the session (FtpSession.Login.cs).
        new("USER", "USER <SP> <username>", Rfc959, Required, BeforeLogin, static (s, a) => s.UserAsync(a)),
        new("PASS", "PASS [<SP> <password>]", Rfc959, Optional, BeforeLogin, static (s, a) => s.PasswordAsync(a)),
        new("ACCT", "ACCT <SP> <account-information>", Rfc959, Required, BeforeLogin, static (s, _) => s.ReplyAsync(FtpReplyCode.Superfluous, "No account needed.")),
        new("REIN", "REIN", Rfc959, Forbidden, BeforeLogin, static (s, _) => s.ReinitializeAsync()),
        new("QUIT", "QUIT", Rfc959, Forbidden, BeforeLogin | DuringTransfer, static (s, _) => s.QuitAsync()),
        new("AUTH", "AUTH <SP> TLS", Rfc2228, Required, BeforeLogin, static (s, a) => s.AuthenticateAsync(a)) { Feature = static s => s.TlsAvailable ? "AUTH TLS" : null },
        new("PBSZ", "PBSZ <SP> 0", Rfc2228, Required, BeforeLogin, static (s, a) => s.ProtectionBufferSizeAsync(a)) { Feature = static s => s.TlsAvailable ? "PBSZ" : null },
        new("PROT", "PROT <SP> P | C", Rfc2228, Required, BeforeLogin, static (s, a) => s.ProtectionLevelAsync(a)) { Feature = static s => s.TlsAvailable ? "PROT" : null },
        new("CCC", "CCC", Rfc2228, Forbidden, None, static (s, _) => s.ReplyAsync(FtpReplyCode.PolicyDenied, "The control connection stays protected.")),

        // Information about the server and the session (FtpSession.Status.cs).
        new("SYST", "SYST", Rfc959, Forbidden, BeforeLogin, static (s, _) => s.ReplyAsync(FtpReplyCode.SystemType, "UNIX Type: L8")),
        new("FEAT", "FEAT", "RFC 2389", Forbidden, BeforeLogin, static (s, _) => s.FeaturesAsync()),
        new("OPTS", "OPTS <SP> <command> [<SP> <options>]", "RFC 2389, RFC 2640", Required, BeforeLogin, static (s, a) => s.OptionsAsync(a)) { Feature = static _ => "UTF8" },
        new("HELP", "HELP [<SP> <command>]", Rfc959, Optional, BeforeLogin, static (s, a) => s.HelpAsync(a)),
        new("NOOP", "NOOP", Rfc959, Forbidden, BeforeLogin | DuringTransfer, static (s, _) => s.ReplyAsync(FtpReplyCode.Okay, "NOOP ok.")),
        new("STAT", "STAT [<SP> <pathname>]", Rfc959, Optional, DuringTransfer, static (s, a) => s.StatusAsync(a)),
        new("SITE", "SITE <SP> <command> [<SP> <arguments>]", Rfc959, Required, None, static (s, a) => s.SiteAsync(a)),
        new("TYPE", "TYPE <SP> A [<SP> N] | I | L <SP> 8", Rfc959, Required, None, static (s, a) => s.TypeAsync(a)),
        new("MODE", "MODE <SP> S", Rfc959, Required, None, static (s, a) => s.ModeAsync(a)),
        new("STRU", "STRU <SP> F", Rfc959, Required, None, static (s, a) => s.StructureAsync(a)),
        new("ALLO", "ALLO <SP> <decimal-integer> [<SP> R <SP> <decimal-integer>]", Rfc959, Required, None, static (s, _) => s.ReplyAsync(FtpReplyCode.Superfluous, "ALLO not needed; storage is allocated as data arrives.")),
        new("SMNT", "SMNT <SP> <pathname>", Rfc959, Required, None, null),

        // Directories (FtpSession.Directories.cs).
        new("PWD", "PWD", Rfc959, Forbidden, None, static (s, _) => s.PrintDirectoryAsync()) { Aliases = ["XPWD"] },
        new("CWD", "CWD <SP> <pathname>", Rfc959, Required, None, static (s, a) => s.ChangeDirectoryAsync(a)) { Aliases = ["XCWD"], Feature = static _ => "TVFS" },
        new("CDUP", "CDUP", Rfc959, Forbidden, None, static (s, _) => s.ChangeDirectoryAsync("..")) { Aliases = ["XCUP"] },
        new("MKD", "MKD <SP> <pathname>", Rfc959, Required, None, static (s, a) => s.MakeDirectoryAsync(a)) { Permission = FtpPermissions.CreateDirectory, Aliases = ["XMKD"] },
        new("RMD", "RMD <SP> <pathname>", Rfc959, Required, None, static (s, a) => s.RemoveDirectoryAsync(a)) { Permission = FtpPermissions.RemoveDirectory, Aliases = ["XRMD"] },

        // Files (FtpSession.Files.cs).
        new("DELE", "DELE <SP> <pathname>", Rfc959, Required, None, static (s, a) => s.DeleteAsync(a)) { Permission = FtpPermissions.Delete },
        new("RNFR", "RNFR <SP> <pathname>", Rfc959, Required, None, static (s, a) => s.RenameFromAsync(a)) { Permission = FtpPermissions.Rename },
        new("RNTO", "RNTO <SP> <pathname>", Rfc959, Required, None, static (s, a) => s.RenameToAsync(a)) { Permission = FtpPermissions.Rename },
        new("SIZE", "SIZE <SP> <pathname>", Rfc3659, Required, None, static (s, a) => s.SizeAsync(a)) { Permission = FtpPermissions.List, Feature = static _ => "SIZE" },
        new("MDTM", "MDTM <SP> <pathname>", Rfc3659, Required, None, static (s, a) => s.ModifiedAsync(a)) { Permission = FtpPermissions.List, Feature = static _ => "MDTM" },
        new("MFMT", "MFMT <SP> <YYYYMMDDHHMMSS> <SP> <pathname>", "draft-somers-ftp-mfxx", Required, None, static (s, a) => s.SetModifiedAsync(a)) { Permission = FtpPermissions.SetAttributes, Feature = static _ => "MFMT" },
        new("HASH", "HASH <SP> <pathname>", "draft-bryan-ftpext-hash", Required, None, static (s, a) => s.HashAsync(a)) { Permission = FtpPermissions.Read, Feature = static s => s.HashFeature },
        new("XCRC", "XCRC <SP> <pathname> [<SP> <start> [<SP> <end>]]", "de facto (no RFC)", Required, None, static (s, a) => s.LegacyHashAsync(FtpHashAlgorithm.Crc32, a)) { Permission = FtpPermissions.Read, Feature = static _ => "XCRC" },
        new("XMD5", "XMD5 <SP> <pathname> [<SP> <start> [<SP> <end>]]", "de facto (no RFC)", Required, None, static (s, a) => s.LegacyHashAsync(FtpHashAlgorithm.Md5, a)) { Permission = FtpPermissions.Read, Feature = static _ => "XMD5" },
        new("XSHA1", "XSHA1 <SP> <pathname> [<SP> <start> [<SP> <end>]]", "de facto (no RFC)", Required, None, static (s, a) => s.LegacyHashAsync(FtpHashAlgorithm.Sha1, a)) { Permission = FtpPermissions.Read, Feature = static _ => "XSHA1" },
        new("XSHA256", "XSHA256 <SP> <pathname> [<SP> <start> [<SP> <end>]]", "de facto (no RFC)", Required, None, static (s, a) => s.LegacyHashAsync(FtpHashAlgorithm.Sha256, a)) { Permission = FtpPermissions.Read, Feature = static _ => "XSHA256" },

        // Data connections (FtpSession.DataConnections.cs).
        new("PASV", "PASV", Rfc959, Forbidden, None, static (s, _) => s.PassiveAsync()) { Feature = static _ => "PASV" },
        new("EPSV", "EPSV [<SP> 1 | 2 | ALL]", Rfc2428, Optional, None, static (s, a) => s.ExtendedPassiveAsync(a)) { Feature = static _ => "EPSV" },
        new("PORT", "PORT <SP> h1,h2,h3,h4,p1,p2", Rfc959, Required, None, static (s, a) => s.PortAsync(a)),
        new("EPRT", "EPRT <SP> |<1 | 2>|<address>|<port>|", Rfc2428, Required, None, static (s, a) => s.ExtendedPortAsync(a)) { Feature = static _ => "EPRT" },
        new("LPRT", "LPRT <SP> <long-host-port>", "RFC 1639", Required, None, null),
        new("LPSV", "LPSV", "RFC 1639", Forbidden, None, null),

        // Transfers (FtpSession.Transfers.cs).
        new("REST", "REST <SP> <byte-offset>", Rfc3659, Required, None, static (s, a) => s.RestartAsync(a)) { Feature = static _ => "REST STREAM" },
        new("RETR", "RETR <SP> <pathname>", Rfc959, Required, None, static (s, a) => s.RetrieveAsync(a)) { Permission = FtpPermissions.Read },
        new("STOR", "STOR <SP> <pathname>", Rfc959, Required, None, static (s, a) => s.StoreAsync(a, FtpUploadMode.Replace)) { Permission = FtpPermissions.Write },
        new("APPE", "APPE <SP> <pathname>", Rfc959, Required, None, static (s, a) => s.StoreAsync(a, FtpUploadMode.Append)) { Permission = FtpPermissions.Write },
        new("STOU", "STOU [<SP> <name-stem>]", "RFC 959, RFC 1123", Optional, None, static (s, a) => s.StoreUniqueAsync(a)) { Permission = FtpPermissions.Write },
        new("ABOR", "ABOR", Rfc959, Forbidden, DuringTransfer | Urgent, static (s, _) => s.AbortAsync()),

        // Listings (FtpSession.Listings.cs).
        new("LIST", "LIST [<SP> <pathname>]", Rfc959, Optional, None, static (s, a) => s.ListAsync(FtpListingKind.Long, a)) { Permission = FtpPermissions.List },
        new("NLST", "NLST [<SP> <pathname>]", Rfc959, Optional, None, static (s, a) => s.ListAsync(FtpListingKind.Names, a)) { Permission = FtpPermissions.List },
        new("MLSD", "MLSD [<SP> <pathname>]", Rfc3659, Optional, None, static (s, a) => s.ListAsync(FtpListingKind.Facts, a)) { Permission = FtpPermissions.List },
        new("MLST", "MLST [<SP> <pathname>]", Rfc3659, Optional, None, static (s, a) => s.MachineListAsync(a)) { Permission = FtpPermissions.List, Feature = static s => s.MachineListFeature },
    ];

    /// <summary>The SITE commands (SITE HELP lists them).</summary>
    internal static readonly IReadOnlyList<FtpCommand> SiteCommands =
    [
        new("CHMOD", "SITE CHMOD <SP> <octal-mode> <SP> <pathname>", "SITE (RFC 959)", Required, None, static (s, a) => s.ChangeModeAsync(a)) { Permission = FtpPermissions.SetAttributes },
        new("HELP", "SITE HELP", "SITE (RFC 959)", Forbidden, None, static (s, _) => s.SiteHelpAsync()),
    ];

    private static readonly FrozenDictionary<string, FtpCommand> ByVerb = Index(Commands);

    private static readonly FrozenDictionary<string, FtpCommand> SiteByVerb = Index(SiteCommands);

    /// <summary>The command a verb names (its X-alias included), or <see langword="null"/>.</summary>
    internal static FtpCommand? Find(string verb) => ByVerb.GetValueOrDefault(verb);

    private static FrozenDictionary<string, FtpCommand> Index(IReadOnlyList<FtpCommand> commands) =>
        commands.SelectMany(c => c.Aliases.Prepend(c.Verb).Select(v => KeyValuePair.Create(v, c)))
            .ToFrozenDictionary(StringComparer.Ordinal);
}
