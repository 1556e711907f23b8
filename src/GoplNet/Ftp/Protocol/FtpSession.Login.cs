using System.Net.Security;
using System.Net.Sockets;
using GoplNet.Ftp.Authentication;
using GoplNet.Ftp.Events;
using GoplNet.Ftp.Storage;
using Microsoft.Extensions.Logging;

namespace GoplNet.Ftp.Protocol;

/// <summary>Login, logout and TLS: USER, PASS, REIN, QUIT, AUTH, PBSZ, PROT (and implicit TLS).</summary>
internal sealed partial class FtpSession
{
    private string? _pendingUser;
    private FtpAccount? _account;
    private IFtpFileSystem _fileSystem = NoStorage.Instance;
    private FtpPermissions _permissions;
    private int _loginFailures;
    private bool _controlProtected;
    private bool _protectData;

    private bool LoggedIn => _account is not null;

    private bool TlsAvailable => _context.Certificate is not null;

    private async Task UserAsync(string argument)
    {
        if (_options.RequireTls && !_controlProtected)
        {
            await RefuseAsync(FtpReplyCode.NotLoggedIn, "Log in over TLS: send AUTH TLS first.").ConfigureAwait(false);
            return;
        }

        // A new USER starts a new login, as REIN would.
        EndLogin();
        _pendingUser = argument.Trim();
        await ReplyAsync(FtpReplyCode.NeedPassword, "Please specify the password.").ConfigureAwait(false);
    }

    /// <summary>PASS: 230, or after a delay 530; the last allowed failure is answered 421 and ends the session.</summary>
    private async Task PasswordAsync(string password)
    {
        if (_pendingUser is null)
        {
            await RefuseAsync(FtpReplyCode.BadSequence, LoggedIn ? "Already logged in." : "Login with USER first.").ConfigureAwait(false);
            return;
        }

        var name = _pendingUser;
        var printable = FtpServerLog.Printable(name);
        _pendingUser = null;
        FtpAuthenticationResult result;
        try
        {
            result = await _context.Authenticator.AuthenticateAsync(new FtpLoginRequest(name, password, RemoteEndPoint, _controlProtected), _stopping).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !_stopping.IsCancellationRequested)
        {
            FtpServerLog.AuthenticatorFailed(_logger, e);
            result = FtpAuthenticationResult.Failure();
        }

        if (result.Account is { } account && !_context.TryEnterAccount(account))
        {
            FtpServerLog.SessionRefused(_logger, $"{printable} has {account.MaxSessions} sessions already");
            await ReplyAsync(FtpReplyCode.ServiceClosing, "Too many sessions for this account; closing control connection.").ConfigureAwait(false);
            _quit = true;
            return;
        }

        if (result.Account is { } loggedIn)
        {
            IFtpFileSystem storage;
            try
            {
                storage = loggedIn.FileSystem ?? _context.FileSystem.GetSubtree(loggedIn.Home);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _context.LeaveAccount(loggedIn);
                FtpServerLog.SessionRefused(_logger, $"the home {loggedIn.Home} of {printable} is not available: {e.Message}");
                await ReplyAsync(FtpReplyCode.NotLoggedIn, "Home directory not available.").ConfigureAwait(false);
                return;
            }

            (_account, _fileSystem) = (loggedIn, storage);
            _permissions = _options.ReadOnly ? loggedIn.Permissions & FtpPermissions.ReadOnly : loggedIn.Permissions;
            FtpServerMetrics.Login("success");
            FtpServerLog.LoggedIn(_logger, printable, Peer, _permissions);
            await ReplyAsync(FtpReplyCode.LoggedIn, "Login successful.").ConfigureAwait(false);
            await RaiseAsync(new FtpLoginSucceededEvent(Id, RemoteEndPoint, _timeProvider.GetUtcNow(), loggedIn, storage), static (h, e, t) => h.OnLoginSucceededAsync(e, t)).ConfigureAwait(false);
            return;
        }

        FtpServerLog.LoginFailed(_logger, printable, Peer);
        var failed = new FtpLoginFailedEvent(Id, RemoteEndPoint, _timeProvider.GetUtcNow(), name, result.Outcome);
        await Task.Delay(_options.LoginFailureDelay, _timeProvider, _stopping).ConfigureAwait(false);
        if (result.Outcome == FtpAuthenticationOutcome.TooManyAttempts)
        {
            // Answered as late as a failed login, so that a guessing client cannot turn into a reconnection storm.
            FtpServerMetrics.Login("refused");
            FtpServerLog.SessionRefused(_logger, "too many password checks waiting for this address");
            await ReplyAsync(FtpReplyCode.ServiceClosing, "Too many logins from your address at once; closing control connection.").ConfigureAwait(false);
            _quit = true;
        }
        else if (++_loginFailures >= _options.MaxLoginFailures)
        {
            FtpServerMetrics.Login("failure");
            FtpServerLog.SessionRefused(_logger, "too many failed logins");
            await ReplyAsync(FtpReplyCode.ServiceClosing, "Login incorrect; too many failures, closing control connection.").ConfigureAwait(false);
            _quit = true;
        }
        else
        {
            FtpServerMetrics.Login("failure");
            await ReplyAsync(FtpReplyCode.NotLoggedIn, "Login incorrect.").ConfigureAwait(false);
        }

        await RaiseAsync(failed, static (h, e, t) => h.OnLoginFailedAsync(e, t)).ConfigureAwait(false);
    }

    /// <summary>
    /// REIN (RFC 959): the login ends and every transfer parameter returns to its default; the next
    /// command needs USER and PASS again. A transfer still running has finished before this runs.
    /// TLS on the control connection stays (a TLS stream cannot return to the clear; RFC 4217 lets
    /// the server keep it), and so does the data protection level PROT set.
    /// </summary>
    private async Task ReinitializeAsync()
    {
        EndLogin();
        await ReplyAsync(FtpReplyCode.ServiceReady, "Service ready for new user.").ConfigureAwait(false);
    }

    /// <summary>Forgets the login and every setting made after it.</summary>
    private void EndLogin()
    {
        if (_account is { } account)
        {
            _context.LeaveAccount(account);
        }

        (_account, _pendingUser, _fileSystem, _permissions) = (null, null, NoStorage.Instance, FtpPermissions.None);
        _cwd = "/";
        ResetFileOptions();
        ResetTransferParameters();
        ResetDataConnection();
        ResetListingOptions();
    }

    /// <summary>
    /// QUIT: 221 at once. A transfer whose data already flows finishes and gets its own reply before
    /// the session closes (RFC 959); one still waiting for its data connection is abandoned.
    /// </summary>
    private async Task QuitAsync()
    {
        _quit = true;
        await ReplyAsync(FtpReplyCode.Closing, "Goodbye.").ConfigureAwait(false);
        if (!_transfer.IsCompleted && !_dataConnected)
        {
            CancelTransfer();
        }
    }

    /// <summary>AUTH TLS: replies 234, then the handshake; from then on the control connection is encrypted and the login starts over.</summary>
    private async Task AuthenticateAsync(string argument)
    {
        var mechanism = argument.Trim().ToUpperInvariant();
        if (!TlsAvailable)
        {
            await ReplyAsync(FtpReplyCode.NotImplemented, "TLS is not configured on this server.").ConfigureAwait(false);
            return;
        }

        if (mechanism is not ("TLS" or "TLS-C" or "SSL"))
        {
            await ReplyAsync(FtpReplyCode.ParameterNotImplemented, "AUTH TLS is the mechanism supported.").ConfigureAwait(false);
            return;
        }

        if (_controlProtected)
        {
            await ReplyAsync(FtpReplyCode.BadSequence, "The control connection is protected already.").ConfigureAwait(false);
            return;
        }

        if (_reader.HasBufferedBytes)
        {
            // Commands sent past AUTH before its reply cannot be told from the handshake.
            await ReplyAsync(FtpReplyCode.BadSequence, "Nothing may follow AUTH before its reply; closing control connection.").ConfigureAwait(false);
            _quit = true;
            return;
        }

        await ReplyAsync(FtpReplyCode.SecurityExchangeDone, "Proceed with negotiation.").ConfigureAwait(false);
        if (!await ProtectControlAsync().ConfigureAwait(false))
        {
            _quit = true;
            return;
        }

        // RFC 4217: AUTH resets the session to "not logged in".
        EndLogin();
    }

    /// <summary>Implicit FTPS: the handshake comes before the greeting, and data connections are protected from the start.</summary>
    private async Task<bool> StartImplicitTlsAsync()
    {
        _protectData = true;
        return await ProtectControlAsync().ConfigureAwait(false);
    }

    /// <summary>The control connection's TLS handshake; <see langword="false"/> when it failed (the session ends).</summary>
    private async Task<bool> ProtectControlAsync()
    {
        var tls = new SslStream(new NetworkStream(_control, ownsSocket: false), leaveInnerStreamOpen: false);
        using var timeout = new CancellationTokenSource(_options.DataConnectionTimeout, _timeProvider);
        try
        {
            await tls.AuthenticateAsServerAsync(_context.TlsOptions(upload: false), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
        {
            FtpServerLog.TlsFailed(_logger, "control", e.Message);
            await tls.DisposeAsync().ConfigureAwait(false);
            return false;
        }

        await _replyLock.WaitAsync().ConfigureAwait(false);
        try
        {
            _stream = tls;
            _reader.Stream = tls;
        }
        finally
        {
            _replyLock.Release();
        }

        _controlProtected = true;
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            FtpServerLog.TlsEstablished(_logger, tls.SslProtocol);
        }

        return true;
    }

    private async Task ProtectionBufferSizeAsync(string argument)
    {
        if (!_controlProtected)
        {
            await ReplyAsync(FtpReplyCode.BadSequence, "PBSZ needs AUTH TLS first.").ConfigureAwait(false);
            return;
        }

        if (!long.TryParse(argument.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            await ReplyAsync(FtpReplyCode.BadArguments, "PBSZ takes a decimal number.").ConfigureAwait(false);
            return;
        }

        // Stream-oriented TLS has no protection buffer: RFC 4217 says 0, whatever the client asked.
        await ReplyAsync(FtpReplyCode.Okay, "PBSZ=0").ConfigureAwait(false);
    }

    private async Task ProtectionLevelAsync(string argument)
    {
        if (!_controlProtected)
        {
            await ReplyAsync(FtpReplyCode.BadSequence, "PROT needs AUTH TLS first.").ConfigureAwait(false);
            return;
        }

        switch (argument.Trim().ToUpperInvariant())
        {
            case "P":
                _protectData = true;
                await ReplyAsync(FtpReplyCode.Okay, "Protection level set to P.").ConfigureAwait(false);
                break;
            case "C" when _options.RequireTls:
                await ReplyAsync(FtpReplyCode.PolicyDenied, "Data connections must be protected on this server.").ConfigureAwait(false);
                break;
            case "C":
                _protectData = false;
                await ReplyAsync(FtpReplyCode.Okay, "Protection level set to C.").ConfigureAwait(false);
                break;
            case "S" or "E":
                await ReplyAsync(FtpReplyCode.ParameterNotImplemented, "PROT P and PROT C are supported.").ConfigureAwait(false);
                break;
            default:
                await ReplyAsync(FtpReplyCode.BadArguments, "PROT takes P, C, S or E.").ConfigureAwait(false);
                break;
        }
    }
}
