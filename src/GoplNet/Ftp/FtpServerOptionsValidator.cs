using GoplNet.Hosting;
using Microsoft.Extensions.Options;

namespace GoplNet.Ftp;

/// <summary>
/// Checks <see cref="FtpServerOptions"/>: one message per bad field, naming it. The
/// <see cref="FtpServer"/> constructor runs it, and <c>AddFtpServer</c> runs it when the host
/// starts (<c>ValidateOnStart</c>), so a bad configuration stops the host before anything binds.
/// </summary>
public sealed class FtpServerOptionsValidator : IValidateOptions<FtpServerOptions>
{
    /// <summary>Checks <paramref name="options"/>.</summary>
    /// <param name="name">The options' name; not used.</param>
    /// <param name="options">The options to check.</param>
    /// <returns>Success, or a failure with one message per bad field.</returns>
    public ValidateOptionsResult Validate(string? name, FtpServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        Port(failures, nameof(options.Port), options.Port);
        Port(failures, nameof(options.PassivePortMin), options.PassivePortMin);
        Port(failures, nameof(options.PassivePortMax), options.PassivePortMax);
        if (options.PassivePortMin > options.PassivePortMax)
        {
            failures.Add($"PassivePortMin ({options.PassivePortMin}) must not be above PassivePortMax ({options.PassivePortMax}).");
        }

        if (options.MaxCommandLength < 16)
        {
            failures.Add($"MaxCommandLength must be at least 16 bytes (was {options.MaxCommandLength}).");
        }

        AtLeast(failures, nameof(options.MaxSessions), options.MaxSessions, 1);
        AtLeast(failures, nameof(options.MaxSessionsPerAddress), options.MaxSessionsPerAddress, 1);
        AtLeast(failures, nameof(options.MaxLoginFailures), options.MaxLoginFailures, 1);
        AtLeast(failures, nameof(options.MaxRefusedCommandsBeforeLogin), options.MaxRefusedCommandsBeforeLogin, 0);
        Positive(failures, nameof(options.IdleTimeout), options.IdleTimeout);
        Positive(failures, nameof(options.StalledTransferTimeout), options.StalledTransferTimeout);
        Positive(failures, nameof(options.DataConnectionTimeout), options.DataConnectionTimeout);
        if (options.LoginFailureDelay < TimeSpan.Zero)
        {
            failures.Add($"LoginFailureDelay must not be negative (was {options.LoginFailureDelay}).");
        }

        if (options.StopTimeout < TimeSpan.Zero)
        {
            failures.Add($"StopTimeout must not be negative (was {options.StopTimeout}).");
        }

        if (options.TlsCertificate is { HasPrivateKey: false })
        {
            failures.Add("TlsCertificate has no private key.");
        }

        var tls = options.TlsCertificate is not null || options.TlsCertificatePath is not null;
        if (options.RequireTls && !tls)
        {
            failures.Add("RequireTls needs a TlsCertificate or a TlsCertificatePath.");
        }

        if (options.ImplicitTls && !tls)
        {
            failures.Add("ImplicitTls needs a TlsCertificate or a TlsCertificatePath.");
        }

        if (options.ProxyProtocol && options.TrustedProxies.Count == 0)
        {
            failures.Add("ProxyProtocol needs TrustedProxies: the balancers' addresses.");
        }

        if (!TrustedProxies.TryParse(options.TrustedProxies, out _, out var errors))
        {
            failures.AddRange(errors.Select(e => "TrustedProxies: " + e));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Port(List<string> failures, string name, int value)
    {
        if (value is < 0 or > 65_535)
        {
            failures.Add($"{name} must be from 0 to 65535 (was {value}).");
        }
    }

    private static void AtLeast(List<string> failures, string name, int value, int minimum)
    {
        if (value < minimum)
        {
            failures.Add($"{name} must be at least {minimum} (was {value}).");
        }
    }

    private static void Positive(List<string> failures, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{name} must be positive (was {value}).");
        }
    }
}
