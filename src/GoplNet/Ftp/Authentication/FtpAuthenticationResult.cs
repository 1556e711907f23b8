namespace GoplNet.Ftp.Authentication;

/// <summary>What an <see cref="IFtpAuthenticator"/> decided about a login.</summary>
public sealed class FtpAuthenticationResult
{
    private static readonly FtpAuthenticationResult Failed = new(null, FtpAuthenticationOutcome.Failed);
    private static readonly FtpAuthenticationResult Busy = new(null, FtpAuthenticationOutcome.TooManyAttempts);

    private FtpAuthenticationResult(FtpAccount? account, FtpAuthenticationOutcome outcome) => (Account, Outcome) = (account, outcome);

    /// <summary>The account, when the login succeeded.</summary>
    public FtpAccount? Account { get; }

    /// <summary>Whether the login succeeded, failed, or was refused for now.</summary>
    public FtpAuthenticationOutcome Outcome { get; }

    /// <summary>A successful login (230).</summary>
    /// <param name="account">The account the session works as.</param>
    /// <returns>The result.</returns>
    public static FtpAuthenticationResult Success(FtpAccount account) =>
        new(account ?? throw new ArgumentNullException(nameof(account)), FtpAuthenticationOutcome.Succeeded);

    /// <summary>A wrong name or password (530 after the failure delay; it counts toward <see cref="FtpServerOptions.MaxLoginFailures"/>).</summary>
    /// <returns>The result.</returns>
    public static FtpAuthenticationResult Failure() => Failed;

    /// <summary>Too many logins from this client at once: answered 421 after the failure delay, and the session closes.</summary>
    /// <returns>The result.</returns>
    public static FtpAuthenticationResult TooManyAttempts() => Busy;
}

/// <summary>The kinds of <see cref="FtpAuthenticationResult"/>.</summary>
public enum FtpAuthenticationOutcome
{
    /// <summary>The login succeeded.</summary>
    Succeeded,

    /// <summary>A wrong name or password.</summary>
    Failed,

    /// <summary>Refused for now: too many logins from the client at once.</summary>
    TooManyAttempts,
}
