using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace GoplNet.Ftp;

/// <summary>
/// The server's TLS certificate: the one given in the options, or the files named there, read
/// again when they change (looked at no more than once a second, on a handshake), so a renewed
/// certificate is used without a restart. A renewal that cannot be read is logged and the
/// certificate in use stays.
/// </summary>
internal sealed class FtpCertificateSource
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);
    private readonly FtpServerOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private SslStreamCertificateContext _current;
    private (DateTime Certificate, DateTime Key) _written;
    private long _nextCheck;

    private FtpCertificateSource(FtpServerOptions options, TimeProvider timeProvider, ILogger logger, SslStreamCertificateContext current)
    {
        (_options, _timeProvider, _logger, _current) = (options, timeProvider, logger, current);
        _written = WrittenAt();
        _nextCheck = timeProvider.GetTimestamp();
    }

    /// <summary>The certificate source for the options, or <see langword="null"/> without TLS.</summary>
    /// <exception cref="FtpTlsCertificateException">The configured files cannot be used.</exception>
    public static FtpCertificateSource? Create(FtpServerOptions options, TimeProvider timeProvider, ILogger logger)
    {
        if (options.TlsCertificate is { } given)
        {
            return new(options, timeProvider, logger, SslStreamCertificateContext.Create(given, additionalCertificates: null));
        }

        return options.TlsCertificatePath is null ? null : new(options, timeProvider, logger, Load(options));
    }

    /// <summary>The certificate for a new handshake.</summary>
    public SslStreamCertificateContext Current
    {
        get
        {
            if (_options.TlsCertificate is not null || _timeProvider.GetTimestamp() < Volatile.Read(ref _nextCheck))
            {
                return _current;
            }

            lock (_lock)
            {
                _nextCheck = _timeProvider.GetTimestamp() + (long)(CheckInterval.TotalSeconds * _timeProvider.TimestampFrequency);
                var written = WrittenAt();
                if (written != _written)
                {
                    _written = written;
                    try
                    {
                        _current = Load(_options);
                        FtpServerLog.CertificateReloaded(_logger, _options.TlsCertificatePath!);
                    }
                    catch (Exception e) when (e is FtpTlsCertificateException or IOException)
                    {
                        FtpServerLog.CertificateReloadFailed(_logger, e.Message);
                    }
                }

                return _current;
            }
        }
    }

    private static SslStreamCertificateContext Load(FtpServerOptions options) =>
        SslStreamCertificateContext.Create(
            FtpTlsCertificate.Load(options.TlsCertificatePath!, options.TlsKeyPath, options.TlsCertificatePassword), additionalCertificates: null);

    private (DateTime, DateTime) WrittenAt() =>
        _options.TlsCertificatePath is { } path
            ? (File.GetLastWriteTimeUtc(path), _options.TlsKeyPath is { } key ? File.GetLastWriteTimeUtc(key) : default)
            : default;
}
