using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gopl.Tool.Tests;

/// <summary>A self-signed P-256 certificate for localhost and 127.0.0.1, valid for a week, written as PEM files for the tool and the clients.</summary>
internal static class TestCertificate
{
    /// <summary>Writes cert.pem and key.pem into <paramref name="directory"/>; their paths.</summary>
    public static async Task<(string Certificate, string Key)> WritePemAsync(string directory)
    {
        var certificatePath = Path.Combine(directory, "cert.pem");
        var keyPath = Path.Combine(directory, "key.pem");
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", ecdsa, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        await File.WriteAllTextAsync(certificatePath, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyPath, ecdsa.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }
}
