namespace GoplNet.Ftp.Authentication;

/// <summary>
/// Turns a login (user, password, client address, TLS state) into an account or a refusal. The
/// built-in <see cref="FtpUserAuthenticator"/> serves <see cref="FtpServerOptions.Users"/> and the
/// anonymous policy; register your own in DI (<c>services.AddSingleton&lt;IFtpAuthenticator, T&gt;()</c>)
/// or set <see cref="FtpServerOptions.Authenticator"/> to use a user store of your own.
/// </summary>
/// <remarks>
/// Called concurrently from many sessions. The server adds the failure delay and counts the
/// failures itself, so an implementation answers as fast as it can. An exception is logged and
/// answered like a refusal.
/// </remarks>
public interface IFtpAuthenticator
{
    /// <summary>Checks a login.</summary>
    /// <param name="request">Who is logging in, from where, with which password.</param>
    /// <param name="cancellationToken">Ends the wait when the session or the server stops.</param>
    /// <returns>The account, or why there is none.</returns>
    ValueTask<FtpAuthenticationResult> AuthenticateAsync(FtpLoginRequest request, CancellationToken cancellationToken);
}
