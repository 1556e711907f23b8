using System.Security.Cryptography.X509Certificates;
using GoplNet.Ftp;

namespace Gopl;

/// <summary>
/// The FTPS certificate of <c>--tls-cert</c> and <c>--tls-key</c> (a PKCS#12 file's password in the
/// environment variable <c>GOPL_TLS_PASSWORD</c>): each problem is one line naming the option, the
/// file and the problem, and exit code 2, before the server starts.
/// </summary>
internal static class TlsCertificateFile
{
    /// <returns>The certificate with its private key, or <see langword="null"/> without --tls-cert.</returns>
    public static X509Certificate2? Load(string? certificatePath, string? keyPath)
    {
        if (certificatePath is null)
        {
            return keyPath is null ? null : throw new UsageException("--tls-key: needs --tls-cert");
        }

        try
        {
            return FtpTlsCertificate.Load(certificatePath, keyPath, Environment.GetEnvironmentVariable("GOPL_TLS_PASSWORD"));
        }
        catch (FtpTlsCertificateException e)
        {
            // The library names the files; the tool names its options and where the password comes from.
            var message = e.Message
                .Replace("give the key file too", "give the key with --tls-key", StringComparison.Ordinal)
                .Replace("a key file goes with", "--tls-key goes with", StringComparison.Ordinal)
                .Replace("its key file", "its key with --tls-key", StringComparison.Ordinal)
                .Replace("the password given", "the password in GOPL_TLS_PASSWORD", StringComparison.Ordinal);
            throw new UsageException($"{(e.IsKeyFile ? "--tls-key" : "--tls-cert")}: {message}");
        }
    }
}
