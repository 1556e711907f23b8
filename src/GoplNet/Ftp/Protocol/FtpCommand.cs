using GoplNet.Ftp.Authentication;

namespace GoplNet.Ftp.Protocol;

/// <summary>Whether a command takes an argument.</summary>
internal enum FtpArgument
{
    /// <summary>No argument: one is answered 501.</summary>
    Forbidden,

    /// <summary>An argument is needed: its absence is answered 501.</summary>
    Required,

    /// <summary>Either.</summary>
    Optional,
}

/// <summary>What the dispatcher checks before a command's handler runs.</summary>
[Flags]
internal enum FtpCommandFlags
{
    /// <summary>Only after login, never while a transfer runs (the command waits for it).</summary>
    None = 0,

    /// <summary>Allowed before login.</summary>
    BeforeLogin = 1,

    /// <summary>Answered at once while a transfer runs (otherwise the command waits for the transfer to end).</summary>
    DuringTransfer = 2,

    /// <summary>While a transfer runs, acted on at once even ahead of commands waiting for the transfer (ABOR).</summary>
    Urgent = 8,
}

/// <summary>
/// One entry of the command table: a verb with its aliases, the rules the dispatcher applies
/// before the handler (login, argument, permission, transfer), its HELP syntax, the
/// document that defines it and its FEAT line. A <see langword="null"/> handler is a verb the
/// server knows but does not implement (502).
/// </summary>
/// <param name="Verb">The verb, upper case.</param>
/// <param name="Syntax">The syntax HELP shows, in RFC 959's notation.</param>
/// <param name="Specification">The RFC or draft that defines the command.</param>
/// <param name="Argument">Whether an argument is needed, forbidden or optional.</param>
/// <param name="Flags">The dispatcher's policies for the command.</param>
/// <param name="Handler">Runs the command with its argument; <see langword="null"/> when not implemented.</param>
internal sealed record FtpCommand(
    string Verb, string Syntax, string Specification, FtpArgument Argument, FtpCommandFlags Flags, Func<FtpSession, string, Task>? Handler)
{
    /// <summary>Other verbs for the same command (RFC 775's X-forms).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>The command's FEAT line for a session (without the leading space), or <see langword="null"/> for none.</summary>
    public Func<FtpSession, string?>? Feature { get; init; }

    /// <summary>Whether the dispatcher lets the command run before login.</summary>
    public bool AllowedBeforeLogin => (Flags & FtpCommandFlags.BeforeLogin) != 0;

    /// <summary>Whether the command is answered while a transfer runs.</summary>
    public bool AnsweredDuringTransfer => (Flags & FtpCommandFlags.DuringTransfer) != 0;

    /// <summary>Whether the command goes ahead of commands waiting for a transfer.</summary>
    public bool Urgent => (Flags & FtpCommandFlags.Urgent) != 0;

    /// <summary>The permission the account needs (550 without it); <see cref="FtpPermissions.None"/> for commands anyone logged in may use.</summary>
    public FtpPermissions Permission { get; init; }

    /// <summary>Whether <paramref name="argument"/> breaks the argument rule (a missing argument counts when it is only spaces).</summary>
    public bool ArgumentIsWrong(string argument) => Argument switch
    {
        FtpArgument.Required => string.IsNullOrWhiteSpace(argument),
        FtpArgument.Forbidden => !string.IsNullOrWhiteSpace(argument),
        _ => false,
    };
}
