namespace GoplNet.Ftp.Protocol;

/// <summary>The reply codes the server sends, named as RFC 959 (and the RFCs that extend it) describe them.</summary>
internal enum FtpReplyCode
{
    /// <summary>150: the data connection is about to open.</summary>
    OpeningData = 150,

    /// <summary>200: command okay.</summary>
    Okay = 200,

    /// <summary>202: command not needed here (ALLO, ACCT).</summary>
    Superfluous = 202,

    /// <summary>211: system status or the FEAT list.</summary>
    SystemStatus = 211,

    /// <summary>213: file status (SIZE, MDTM, MFMT, HASH, STAT).</summary>
    FileStatus = 213,

    /// <summary>214: help.</summary>
    Help = 214,

    /// <summary>215: system type.</summary>
    SystemType = 215,

    /// <summary>220: service ready.</summary>
    ServiceReady = 220,

    /// <summary>221: closing the control connection.</summary>
    Closing = 221,

    /// <summary>225: data connection open, no transfer in progress.</summary>
    NoTransfer = 225,

    /// <summary>226: transfer complete, data connection closed.</summary>
    TransferComplete = 226,

    /// <summary>227: entering passive mode.</summary>
    PassiveMode = 227,

    /// <summary>229: entering extended passive mode (RFC 2428).</summary>
    ExtendedPassiveMode = 229,

    /// <summary>230: logged in.</summary>
    LoggedIn = 230,

    /// <summary>234: security exchange complete (AUTH TLS, RFC 2228).</summary>
    SecurityExchangeDone = 234,

    /// <summary>250: requested file action done.</summary>
    FileActionDone = 250,

    /// <summary>257: path created, or the current directory.</summary>
    PathCreated = 257,

    /// <summary>331: user name okay, need password.</summary>
    NeedPassword = 331,

    /// <summary>350: pending further information (REST, RNFR).</summary>
    PendingFurtherInformation = 350,

    /// <summary>421: service closing the control connection.</summary>
    ServiceClosing = 421,

    /// <summary>425: cannot open the data connection.</summary>
    CannotOpenData = 425,

    /// <summary>426: connection closed, transfer aborted.</summary>
    TransferAborted = 426,

    /// <summary>451: local error in processing.</summary>
    LocalError = 451,

    /// <summary>452: insufficient storage.</summary>
    InsufficientStorage = 452,

    /// <summary>500: syntax error, command unrecognised.</summary>
    UnknownCommand = 500,

    /// <summary>501: syntax error in parameters or arguments.</summary>
    BadArguments = 501,

    /// <summary>502: command not implemented.</summary>
    NotImplemented = 502,

    /// <summary>503: bad sequence of commands.</summary>
    BadSequence = 503,

    /// <summary>504: command not implemented for that parameter.</summary>
    ParameterNotImplemented = 504,

    /// <summary>521: data connection refused under the current protection level (RFC 4217).</summary>
    ProtectionRequired = 521,

    /// <summary>522: network protocol not supported (RFC 2428).</summary>
    NetworkProtocolNotSupported = 522,

    /// <summary>530: not logged in.</summary>
    NotLoggedIn = 530,

    /// <summary>534: request denied for policy reasons (RFC 2228).</summary>
    PolicyDenied = 534,

    /// <summary>550: file unavailable (not found, no access, or not permitted).</summary>
    FileUnavailable = 550,

    /// <summary>552: exceeded storage allocation (the account's upload limit).</summary>
    StorageAllocationExceeded = 552,

    /// <summary>553: file name not allowed.</summary>
    FileNameNotAllowed = 553,

    /// <summary>554: invalid REST parameter (RFC 1123).</summary>
    InvalidRestart = 554,
}
