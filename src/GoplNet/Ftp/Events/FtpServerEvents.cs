namespace GoplNet.Ftp.Events;

/// <summary>
/// Receives what happens on an FTP server: logins, sessions ending, transfers, deletions, renames,
/// directories made and removed, and each upload just before it is committed (where it can be
/// refused). Override the methods you need; the others do nothing.
/// </summary>
/// <remarks>
/// <para>
/// Add handlers to <see cref="FtpServerOptions.Events"/> or register them in DI as
/// <see cref="FtpServerEvents"/> singletons; every handler sees every event, in registration order.
/// </para>
/// <para>
/// A handler runs on the session that raised the event, after the client has its reply (before
/// it, for <see cref="OnUploadCompletingAsync"/>): a slow handler delays that session's next
/// reply, never another session. An exception from a handler is logged and the session goes on;
/// an exception from <see cref="OnUploadCompletingAsync"/> refuses the upload (451), so a scanner
/// that fails lets nothing through.
/// </para>
/// </remarks>
public abstract class FtpServerEvents
{
    /// <summary>A client logged in.</summary>
    /// <param name="e">The session and the account.</param>
    /// <param name="cancellationToken">Cancelled when the server stops.</param>
    /// <returns>When handled.</returns>
    public virtual ValueTask OnLoginSucceededAsync(FtpLoginSucceededEvent e, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>A login was refused (wrong name or password, or too many attempts at once).</summary>
    /// <param name="e">The session and the name tried.</param>
    /// <param name="cancellationToken">Cancelled when the server stops.</param>
    /// <returns>When handled.</returns>
    public virtual ValueTask OnLoginFailedAsync(FtpLoginFailedEvent e, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>A session ended (QUIT, the client left, a timeout or a limit, or the server stopped).</summary>
    /// <param name="e">The session.</param>
    /// <param name="cancellationToken">Cancelled when the server stops.</param>
    /// <returns>When handled.</returns>
    public virtual ValueTask OnSessionEndedAsync(FtpSessionEndedEvent e, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>
    /// An upload has all its bytes and is about to become the file at its path. Return
    /// <see cref="FtpUploadVerdict.Refuse"/> to discard it (the client gets 553 and the previous
    /// file stays): a virus scan, a name or content policy.
    /// </summary>
    /// <param name="e">The upload; <see cref="FtpUploadCompletingEvent.OpenReadAsync"/> reads what arrived.</param>
    /// <param name="cancellationToken">Cancelled when the transfer is aborted or the server stops.</param>
    /// <returns>Accept or refuse.</returns>
    public virtual ValueTask<FtpUploadVerdict> OnUploadCompletingAsync(FtpUploadCompletingEvent e, CancellationToken cancellationToken) =>
        ValueTask.FromResult(FtpUploadVerdict.Accept);

    /// <summary>A download or an upload ended, complete or not.</summary>
    /// <param name="e">The transfer: direction, path, bytes, duration, and why it ended early.</param>
    /// <param name="cancellationToken">Cancelled when the server stops.</param>
    /// <returns>When handled.</returns>
    public virtual ValueTask OnTransferCompletedAsync(FtpTransferCompletedEvent e, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>A file was deleted (DELE).</summary>
    /// <param name="e">The session and the path.</param>
    /// <param name="cancellationToken">Cancelled when the server stops.</param>
    /// <returns>When handled.</returns>
    public virtual ValueTask OnFileDeletedAsync(FtpPathEvent e, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>A file or directory was renamed (RNFR, RNTO).</summary>
    /// <param name="e">The session and both paths.</param>
    /// <param name="cancellationToken">Cancelled when the server stops.</param>
    /// <returns>When handled.</returns>
    public virtual ValueTask OnRenamedAsync(FtpRenamedEvent e, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>A directory was created (MKD).</summary>
    /// <param name="e">The session and the path.</param>
    /// <param name="cancellationToken">Cancelled when the server stops.</param>
    /// <returns>When handled.</returns>
    public virtual ValueTask OnDirectoryCreatedAsync(FtpPathEvent e, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>A directory was removed (RMD).</summary>
    /// <param name="e">The session and the path.</param>
    /// <param name="cancellationToken">Cancelled when the server stops.</param>
    /// <returns>When handled.</returns>
    public virtual ValueTask OnDirectoryRemovedAsync(FtpPathEvent e, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
