using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace GoplNet.Ftp;

/// <summary>
/// Loads an FTPS certificate from files: a PEM certificate with its PEM key (in the same file or a
/// file of its own), or a PKCS#12 file holding both. Each way it can be unusable (a missing file, a
/// certificate without its key, a key of another certificate, an expired certificate) is an
/// <see cref="FtpTlsCertificateException"/> naming the file and the problem; the cryptography
/// library's own messages ("ASN1 corrupted data") say neither.
/// </summary>
public static class FtpTlsCertificate
{
    private const string CertificateOption = "certificate";
    private const string KeyOption = "key";

    /// <summary>Loads a certificate with its private key.</summary>
    /// <param name="certificatePath">A PEM certificate (its key in the same file or in <paramref name="keyPath"/>) or a PKCS#12 file.</param>
    /// <param name="keyPath">The PEM private key, when it is in a file of its own.</param>
    /// <param name="password">The PKCS#12 file's password, if any.</param>
    /// <returns>The certificate with its private key.</returns>
    /// <exception cref="FtpTlsCertificateException">A file is missing, unreadable, or does not hold a usable certificate and key.</exception>
    public static X509Certificate2 Load(string certificatePath, string? keyPath = null, string? password = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(certificatePath);

        var contents = ReadFile(CertificateOption, certificatePath);
        var certificate = IsPem(contents)
            ? LoadPem(certificatePath, Encoding.UTF8.GetString(contents), keyPath)
            : LoadPkcs12(certificatePath, contents, keyPath, password);
        var now = DateTime.UtcNow;
        if (certificate.NotAfter.ToUniversalTime() < now)
        {
            throw Problem(CertificateOption, certificatePath, $"holds a certificate that expired on {Utc(certificate.NotAfter)}");
        }

        if (certificate.NotBefore.ToUniversalTime() > now)
        {
            throw Problem(CertificateOption, certificatePath, $"holds a certificate that is not valid before {Utc(certificate.NotBefore)}");
        }

        return certificate;
    }

    private static X509Certificate2 LoadPem(string certificatePath, string certificateText, string? keyPath)
    {
        if (!certificateText.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            throw Problem(CertificateOption, certificatePath, "holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }

        // Parsed once without the key, so that a broken certificate is not blamed on the key.
        Parse(() => X509Certificate2.CreateFromPem(certificateText), CertificateOption, certificatePath, "holds a PEM certificate that cannot be read").Dispose();

        var (keyOption, keyFile) = keyPath is null ? (CertificateOption, certificatePath) : (KeyOption, keyPath);
        var keyText = keyPath is null ? certificateText : Encoding.UTF8.GetString(ReadFile(KeyOption, keyPath));
        if (keyText.Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal))
        {
            throw Problem(keyOption, keyFile, "holds an encrypted private key; give it unencrypted (e.g. openssl pkey -in KEY -out KEY.plain)");
        }

        if (!HasPrivateKey(keyText))
        {
            throw keyPath is null
                ? Problem(CertificateOption, certificatePath, "is a certificate without its private key; give the key file too")
                : Problem(KeyOption, keyPath, "holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
        }

        if (!IsReadableKey(keyText))
        {
            throw Problem(keyOption, keyFile, "holds a PEM private key that cannot be read");
        }

        return Parse(
            () => X509Certificate2.CreateFromPem(certificateText, keyText),
            keyOption,
            keyFile,
            keyPath is null ? "holds a private key that does not match the certificate" : $"holds a private key that does not match the certificate in '{certificatePath}'");
    }

    private static X509Certificate2 LoadPkcs12(string certificatePath, byte[] contents, string? keyPath, string? password)
    {
        if (keyPath is not null)
        {
            throw Problem(CertificateOption, certificatePath, "is not a PEM certificate; a key file goes with a PEM certificate (a PKCS#12 file holds its key)");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12(contents, password);
        }
        catch (CryptographicException)
        {
            throw Problem(CertificateOption, certificatePath, "is neither a PEM certificate nor a PKCS#12 file that opens with the password given");
        }

        return certificate.HasPrivateKey
            ? certificate
            : throw Problem(CertificateOption, certificatePath, "holds no private key; give a PEM certificate and its key file");
    }

    private static byte[] ReadFile(string option, string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw Problem(option, path, "does not exist");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Problem(option, path, $"cannot be read: {e.Message}");
        }
    }

    private static X509Certificate2 Parse(Func<X509Certificate2> parse, string option, string path, string problem)
    {
        try
        {
            return parse();
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw Problem(option, path, problem);
        }
    }

    private static bool IsPem(byte[] contents) => Encoding.ASCII.GetString(contents).Contains("-----BEGIN ", StringComparison.Ordinal);

    private static bool HasPrivateKey(string pem) =>
        pem.Contains("-----BEGIN PRIVATE KEY-----", StringComparison.Ordinal)
        || pem.Contains("-----BEGIN RSA PRIVATE KEY-----", StringComparison.Ordinal)
        || pem.Contains("-----BEGIN EC PRIVATE KEY-----", StringComparison.Ordinal);

    private static bool IsReadableKey(string pem)
    {
        foreach (var algorithm in new Func<AsymmetricAlgorithm>[] { RSA.Create, ECDsa.Create })
        {
            using var key = algorithm();
            try
            {
                key.ImportFromPem(pem);
                return true;
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException)
            {
                // Not a key of this algorithm; try the next.
            }
        }

        return false;
    }

    private static string Utc(DateTime time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static FtpTlsCertificateException Problem(string option, string path, string problem) => new(path, option == KeyOption, $"'{path}' {problem}");
}

/// <summary>A certificate or key file that cannot be used for FTPS; the message names the file and the problem.</summary>
public sealed class FtpTlsCertificateException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The file at fault.</param>
    /// <param name="isKeyFile">Whether it is the key file (rather than the certificate file).</param>
    /// <param name="message">The file and the problem.</param>
    public FtpTlsCertificateException(string path, bool isKeyFile, string message)
        : base(message) => (Path, IsKeyFile) = (path, isKeyFile);

    /// <summary>The file at fault.</summary>
    public string Path { get; }

    /// <summary>Whether it is the key file (rather than the certificate file).</summary>
    public bool IsKeyFile { get; }
}
