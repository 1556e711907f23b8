using System.Globalization;
using GoplNet.Ftp.Authentication;
using GoplNet.Time;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace GoplNet.Ftp;

/// <summary>
/// Reads <see cref="FtpServerOptions"/> from a configuration section the way people write it,
/// without reflection: durations as <c>00:00:30</c> or Go's <c>30s</c>, file modes as octal
/// (<c>"0644"</c>), permissions as names (<c>"List, Read"</c>, <c>"ReadOnly"</c>), accounts as an
/// array or a users file. Every key is known: a misspelt one (<c>User</c> for <c>Users</c>,
/// <c>Password</c> for <c>PasswordHash</c>) is an error naming it, never silently dropped.
/// </summary>
internal sealed class FtpServerOptionsBinder(IConfiguration configuration)
{
    private static readonly string[] UserKeys = ["Name", "PasswordHash", "Home", "Permissions", "MaxSessions", "MaxUploadBytes"];

    private readonly List<string> _errors = [];

    /// <summary>Applies the section to <paramref name="options"/>; every problem, one line each.</summary>
    public IReadOnlyList<string> Bind(FtpServerOptions options)
    {
        var known = new Dictionary<string, Action<IConfigurationSection>>(StringComparer.OrdinalIgnoreCase)
        {
            [nameof(options.Root)] = s => options.Root = s.Value ?? options.Root,
            [nameof(options.Host)] = s => options.Host = s.Value ?? options.Host,
            [nameof(options.Port)] = s => options.Port = Integer(s, options.Port),
            [nameof(options.PassivePortMin)] = s => options.PassivePortMin = Integer(s, options.PassivePortMin),
            [nameof(options.PassivePortMax)] = s => options.PassivePortMax = Integer(s, options.PassivePortMax),
            [nameof(options.PassiveAddress)] = s => options.PassiveAddress = s.Value,
            [nameof(options.ProxyProtocol)] = s => options.ProxyProtocol = Boolean(s, options.ProxyProtocol),
            [nameof(options.TrustedProxies)] = s => AddAll(options.TrustedProxies, Strings(s)),
            [nameof(options.Users)] = s => AddAll(options.Users, Users(s)),
            ["UsersFile"] = s => AddAll(options.Users, UsersFile(s)),
            [nameof(options.AllowAnonymous)] = s => options.AllowAnonymous = Boolean(s, options.AllowAnonymous),
            [nameof(options.ReadOnly)] = s => options.ReadOnly = Boolean(s, options.ReadOnly),
            [nameof(options.Banner)] = s => options.Banner = s.Value ?? options.Banner,
            [nameof(options.UploadFileMode)] = s => options.UploadFileMode = Mode(s, options.UploadFileMode),
            [nameof(options.MaxCommandLength)] = s => options.MaxCommandLength = Integer(s, options.MaxCommandLength),
            [nameof(options.StopTimeout)] = s => options.StopTimeout = Duration(s, options.StopTimeout),
            [nameof(options.DataConnectionTimeout)] = s => options.DataConnectionTimeout = Duration(s, options.DataConnectionTimeout),
            [nameof(options.StalledTransferTimeout)] = s => options.StalledTransferTimeout = Duration(s, options.StalledTransferTimeout),
            [nameof(options.IdleTimeout)] = s => options.IdleTimeout = Duration(s, options.IdleTimeout),
            [nameof(options.MaxSessions)] = s => options.MaxSessions = Integer(s, options.MaxSessions),
            [nameof(options.MaxSessionsPerAddress)] = s => options.MaxSessionsPerAddress = Integer(s, options.MaxSessionsPerAddress),
            [nameof(options.LoginFailureDelay)] = s => options.LoginFailureDelay = Duration(s, options.LoginFailureDelay),
            [nameof(options.MaxLoginFailures)] = s => options.MaxLoginFailures = Integer(s, options.MaxLoginFailures),
            [nameof(options.MaxRefusedCommandsBeforeLogin)] = s => options.MaxRefusedCommandsBeforeLogin = Integer(s, options.MaxRefusedCommandsBeforeLogin),
            [nameof(options.TlsCertificatePath)] = s => options.TlsCertificatePath = s.Value,
            [nameof(options.TlsKeyPath)] = s => options.TlsKeyPath = s.Value,
            [nameof(options.TlsCertificatePassword)] = s => options.TlsCertificatePassword = s.Value,
            [nameof(options.RequireTls)] = s => options.RequireTls = Boolean(s, options.RequireTls),
            [nameof(options.ImplicitTls)] = s => options.ImplicitTls = Boolean(s, options.ImplicitTls),
            [nameof(options.DirectUploads)] = s => options.DirectUploads = Boolean(s, options.DirectUploads),
            [nameof(options.TransferLogPath)] = s => options.TransferLogPath = s.Value,
        };
        foreach (var section in configuration.GetChildren())
        {
            if (known.TryGetValue(section.Key, out var apply))
            {
                apply(section);
            }
            else
            {
                _errors.Add($"{section.Path}: unknown setting '{section.Key}'{Suggestion(section.Key, known.Keys)}.");
            }
        }

        return _errors;
    }

    /// <summary>The known key a misspelt one most likely meant: one it begins or ends, or one at most two edits away.</summary>
    private static string Suggestion(string key, IEnumerable<string> keys) =>
        keys.Select(k => (Key: k, Distance: k.StartsWith(key, StringComparison.OrdinalIgnoreCase) || key.StartsWith(k, StringComparison.OrdinalIgnoreCase) ? 0 : Distance(key.ToUpperInvariant(), k.ToUpperInvariant())))
            .Where(c => c.Distance <= 2).OrderBy(c => c.Distance).FirstOrDefault() is { Key: { } near }
            ? $" (did you mean '{near}'?)"
            : string.Empty;

    /// <summary>The edit distance between two keys, a swap of neighbours counting as one edit (<c>Prot</c> is one from <c>Port</c>).</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j], d[i, j - 1]) + 1, d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    private static void AddAll<T>(IList<T> list, IEnumerable<T> items)
    {
        foreach (var item in items)
        {
            list.Add(item);
        }
    }

    private static IEnumerable<string> Strings(IConfigurationSection section) =>
        section.Value is { } single ? [single] : section.GetChildren().Select(c => c.Value).OfType<string>();

    private IEnumerable<FtpUser> Users(IConfigurationSection section)
    {
        foreach (var user in section.GetChildren())
        {
            var unknown = user.GetChildren().Where(c => !UserKeys.Contains(c.Key, StringComparer.OrdinalIgnoreCase)).ToArray();
            foreach (var key in unknown)
            {
                _errors.Add($"{key.Path}: unknown user setting '{key.Key}'{Suggestion(key.Key, UserKeys)}.");
            }

            if (user["Name"] is not { Length: > 0 } name || user["PasswordHash"] is not { Length: > 0 } hash)
            {
                _errors.Add($"{user.Path}: a user needs Name and PasswordHash (make a hash with 'gopl ftp passwd NAME').");
                continue;
            }

            if (!FtpPasswordHash.IsWellFormed(hash))
            {
                _errors.Add($"{user.Path}:PasswordHash: the password of '{name}' is not a hash that 'gopl ftp passwd' makes (pbkdf2-sha256$...).");
                continue;
            }

            yield return new FtpUser(name, hash)
            {
                Home = user["Home"] is { Length: > 0 } home ? home : "/",
                Permissions = Permissions(user.GetSection("Permissions")),
                MaxSessions = user["MaxSessions"] is null ? null : Integer(user.GetSection("MaxSessions"), 0),
                MaxUploadBytes = user["MaxUploadBytes"] is { } bytes && long.TryParse(bytes, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) ? limit : NotNumber(user.GetSection("MaxUploadBytes")),
            };
        }
    }

    private long? NotNumber(IConfigurationSection section)
    {
        if (section.Value is not null)
        {
            _errors.Add($"{section.Path}: '{section.Value}' is not a whole number of bytes.");
        }

        return null;
    }

    private IEnumerable<FtpUser> UsersFile(IConfigurationSection section)
    {
        if (section.Value is not { Length: > 0 } path)
        {
            return [];
        }

        try
        {
            return FtpUsersFile.Read(path);
        }
        catch (FormatException e)
        {
            _errors.Add($"{section.Path}: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _errors.Add($"{section.Path}: cannot read '{path}': {e.Message}");
        }

        return [];
    }

    private FtpPermissions Permissions(IConfigurationSection section)
    {
        if (section.Value is null)
        {
            return FtpPermissions.All;
        }

        if (Enum.TryParse<FtpPermissions>(section.Value, ignoreCase: true, out var permissions) && !char.IsAsciiDigit(section.Value.TrimStart()[0]))
        {
            return permissions;
        }

        _errors.Add($"{section.Path}: '{section.Value}' is not a list of permissions ({string.Join(", ", Enum.GetNames<FtpPermissions>())}).");
        return FtpPermissions.None;
    }

    private int Integer(IConfigurationSection section, int current) =>
        int.TryParse(section.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : Bad(section, "a whole number", current);

    private bool Boolean(IConfigurationSection section, bool current) =>
        bool.TryParse(section.Value, out var value) ? value : Bad(section, "true or false", current);

    private TimeSpan Duration(IConfigurationSection section, TimeSpan current) =>
        GoDuration.TryParseSetting(section.Value, out var value)
            ? value
            : Bad(section, "a duration (as 00:00:30, or Go's 30s, 500ms, 1m30s)", current);

    /// <summary>A file mode as people write it for chmod: octal digits, <c>"0644"</c> or <c>"644"</c>.</summary>
    private UnixFileMode Mode(IConfigurationSection section, UnixFileMode current)
    {
        var text = section.Value?.Trim() ?? string.Empty;
        return text.Length is >= 3 and <= 4 && text.All(c => c is >= '0' and <= '7') && Convert.ToInt32(text, 8) <= 0b111_111_111
            ? (UnixFileMode)Convert.ToInt32(text, 8)
            : Bad(section, "an octal file mode (as \"0644\")", current);
    }

    private T Bad<T>(IConfigurationSection section, string expected, T current)
    {
        _errors.Add($"{section.Path}: '{section.Value}' is not {expected}.");
        return current;
    }
}
