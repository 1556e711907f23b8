using System.Collections.Frozen;
using GoplNet.Ftp.Data;

namespace GoplNet.Ftp.Authentication;

/// <summary>
/// The built-in authenticator: a set of <see cref="FtpUser"/> accounts with PBKDF2 password
/// hashes, and optionally anonymous access (<c>anonymous</c> or <c>ftp</c> with any password,
/// read-only). The set can be replaced while the server runs (<see cref="SetUsers"/>): every login
/// reads one immutable snapshot, so a login never sees half an update.
/// </summary>
/// <remarks>
/// Successful checks are remembered (an HMAC of the password under a key of this process, keyed by
/// name and stored hash, so a changed hash is checked afresh), key derivations run on their own
/// threads, and one client address runs one derivation at a time, pausing after a failed one;
/// more than four waiting from one address are refused (<see cref="FtpAuthenticationOutcome.TooManyAttempts"/>).
/// An unknown name costs the same derivation as a known one.
/// </remarks>
public sealed class FtpUserAuthenticator : IFtpAuthenticator, IDisposable
{
    private static readonly string[] AnonymousNames = ["anonymous", "ftp"];
    private readonly FtpPasswordVerifier _passwords;
    private volatile FrozenDictionary<string, FtpUser> _users = FrozenDictionary<string, FtpUser>.Empty;

    /// <summary>An authenticator for a set of accounts.</summary>
    /// <param name="users">The accounts; names are case-sensitive and must be unique.</param>
    /// <param name="allowAnonymous">Whether <c>anonymous</c> and <c>ftp</c> may log in with any password, read-only, when no account has that name.</param>
    /// <param name="timeProvider">The clock of the pause after a failed check. Default: the system clock.</param>
    /// <param name="failurePause">How long a client address waits after a failed check before its next one. Default 1 second.</param>
    /// <exception cref="ArgumentException">Two accounts share a name, or an account has no name or hash.</exception>
    public FtpUserAuthenticator(IEnumerable<FtpUser> users, bool allowAnonymous = false, TimeProvider? timeProvider = null, TimeSpan? failurePause = null)
    {
        AllowAnonymous = allowAnonymous;
        _passwords = new FtpPasswordVerifier(timeProvider ?? TimeProvider.System, failurePause ?? TimeSpan.FromSeconds(1));
        SetUsers(users);
    }

    /// <summary>Whether anonymous logins are accepted.</summary>
    public bool AllowAnonymous { get; }

    /// <summary>The accounts now in force.</summary>
    public IReadOnlyCollection<FtpUser> Users => _users.Values;

    /// <summary>Whether anyone can log in at all (an account, or anonymous access).</summary>
    public bool AcceptsAnyLogin => AllowAnonymous || _users.Count > 0;

    /// <summary>Replaces every account at once; logins already checked keep their sessions.</summary>
    /// <param name="users">The new accounts.</param>
    /// <exception cref="ArgumentException">Two accounts share a name, or an account has no name or hash.</exception>
    public void SetUsers(IEnumerable<FtpUser> users)
    {
        ArgumentNullException.ThrowIfNull(users);
        var byName = new Dictionary<string, FtpUser>(StringComparer.Ordinal);
        foreach (var user in users)
        {
            if (string.IsNullOrEmpty(user?.Name) || string.IsNullOrEmpty(user.PasswordHash))
            {
                throw new ArgumentException("Every FTP user needs a name and a password hash.", nameof(users));
            }

            if (!byName.TryAdd(user.Name, user))
            {
                throw new ArgumentException($"The FTP user '{user.Name}' is defined twice.", nameof(users));
            }
        }

        _users = byName.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <inheritdoc/>
    public async ValueTask<FtpAuthenticationResult> AuthenticateAsync(FtpLoginRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var users = _users;
        users.TryGetValue(request.UserName, out var user);
        if (user is null && AllowAnonymous && AnonymousNames.Contains(request.UserName, StringComparer.OrdinalIgnoreCase))
        {
            return FtpAuthenticationResult.Success(new FtpAccount(request.UserName) { IsAnonymous = true, Permissions = FtpPermissions.ReadOnly });
        }

        // An unknown name costs the same hash check as a known one: timing tells nothing about accounts.
        var check = await _passwords.VerifyAsync(
            request.UserName, request.Password, user?.PasswordHash ?? FtpPasswordHash.Decoy, FtpDataChannel.Unmapped(request.RemoteEndPoint.Address), cancellationToken).ConfigureAwait(false);
        return check switch
        {
            FtpPasswordCheck.Match when user is not null => FtpAuthenticationResult.Success(user.ToAccount()),
            FtpPasswordCheck.Busy => FtpAuthenticationResult.TooManyAttempts(),
            _ => FtpAuthenticationResult.Failure(),
        };
    }

    /// <summary>Stops the key-derivation threads.</summary>
    public void Dispose() => _passwords.Dispose();
}
