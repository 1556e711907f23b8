using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using GoplNet.Ftp;
using GoplNet.Ftp.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GoplNet.Tests.Ftp;

/// <summary>FTP options from configuration, written the way people write them, with every mistake named.</summary>
public sealed class FtpServerConfigurationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("goplnet-ftp-config-").FullName;

    [Fact]
    public void Values_bind_the_way_people_write_them()
    {
        var hash = FtpPasswordHash.Create("secret");
        var options = Bind($$"""
            {
              "Ftp": {
                "Root": "{{_directory}}", "Port": 0, "PassivePortMin": 40000, "PassivePortMax": 40100,
                "UploadFileMode": "0640", "IdleTimeout": "90s", "StalledTransferTimeout": "00:02:00", "LoginFailureDelay": "500ms",
                "TrustedProxies": [ "10.0.0.0/8", "::1" ], "ProxyProtocol": true, "DirectUploads": false,
                "Users": [
                  { "Name": "alice", "PasswordHash": "{{hash}}" },
                  { "Name": "cam", "PasswordHash": "{{hash}}", "Home": "/cameras/cam", "Permissions": "List, Write", "MaxUploadBytes": 1048576 }
                ]
              }
            }
            """);

        Assert.Equal((UnixFileMode)0b110_100_000, options.UploadFileMode);
        Assert.Equal((TimeSpan.FromSeconds(90), TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(500)), (options.IdleTimeout, options.StalledTransferTimeout, options.LoginFailureDelay));
        Assert.Equal((40000, 40100), (options.PassivePortMin, options.PassivePortMax));
        Assert.Equal(["10.0.0.0/8", "::1"], options.TrustedProxies);
        Assert.False(options.DirectUploads);
        Assert.Equal(FtpPermissions.All, options.Users[0].Permissions);
        Assert.Equal(("/cameras/cam", FtpPermissions.List | FtpPermissions.Write, 1048576L), (options.Users[1].Home, options.Users[1].Permissions, options.Users[1].MaxUploadBytes!.Value));
    }

    [Fact]
    public void Misspelt_keys_and_unreadable_values_are_named_not_dropped()
    {
        var e = Assert.Throws<OptionsValidationException>(() => Bind("""
            {
              "Ftp": {
                "User": [ { "Name": "alice", "Password": "secret" } ],
                "Users": [ { "Name": "bob", "Password": "secret" } ],
                "UploadFileMode": "rw-r--r--", "IdleTimeout": "five minutes", "AllowAnonymus": true
              }
            }
            """));

        string[] expected =
            [
                "Ftp:User: unknown setting 'User' (did you mean 'Users'?).",
                "Ftp:Users:0:Password: unknown user setting 'Password' (did you mean 'PasswordHash'?).",
                "Ftp:Users:0: a user needs Name and PasswordHash (make a hash with 'gopl ftp passwd NAME').",
                "Ftp:UploadFileMode: 'rw-r--r--' is not an octal file mode (as \"0644\").",
                "Ftp:IdleTimeout: 'five minutes' is not a duration (as 00:00:30, or Go's 30s, 500ms, 1m30s).",
                "Ftp:AllowAnonymus: unknown setting 'AllowAnonymus' (did you mean 'AllowAnonymous'?).",
            ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), e.Failures.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_host_built_from_configuration_refuses_to_start_on_a_misspelt_key()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddJsonStream(new MemoryStream("""{ "Ftp": { "Port": 0, "Prot": 2121, "AllowAnonymous": true } }"""u8.ToArray()));
        builder.Services.AddFtpServer(builder.Configuration.GetSection("Ftp"), o => o.Root = _directory);
        using var host = builder.Build();

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("Ftp:Prot: unknown setting 'Prot' (did you mean 'Port'?)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_certificate_from_files_is_read_again_when_it_is_renewed()
    {
        var certificatePath = Path.Combine(_directory, "cert.pem");
        var keyPath = Path.Combine(_directory, "key.pem");
        WritePem(certificatePath, keyPath, "CN=first");
        var options = Bind($$"""{ "Ftp": { "Root": "{{_directory}}", "Port": 0, "AllowAnonymous": true, "TlsCertificatePath": "{{certificatePath}}", "TlsKeyPath": "{{keyPath}}" } }""");
        await using var server = new FtpServer(options);
        await server.StartAsync(CancellationToken.None);

        Assert.Equal("CN=first", await HandshakeSubjectAsync(server));
        WritePem(certificatePath, keyPath, "CN=renewed");
        File.SetLastWriteTimeUtc(certificatePath, DateTime.UtcNow.AddSeconds(5));
        // Files are looked at once a second at most: new sessions see the renewal within a few.
        var deadline = DateTime.UtcNow + FtpTestClient.Timeout;
        while (await HandshakeSubjectAsync(server) != "CN=renewed")
        {
            Assert.True(DateTime.UtcNow < deadline, "the renewed certificate was never used");
            await Task.Delay(100);
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static FtpServerOptions Bind(string json)
    {
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
        var options = new FtpServerOptions();
        options.Bind(configuration.GetSection("Ftp"));
        return options;
    }

    private static void WritePem(string certificatePath, string keyPath, string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
    }

    /// <summary>AUTH TLS on a new session; the subject of the certificate the server presents.</summary>
    private static async Task<string> HandshakeSubjectAsync(FtpServer server)
    {
        await using var client = await FtpTestClient.ConnectAsync(server.LocalEndPoint);
        await client.ReadAsync();
        await client.ExpectAsync("AUTH TLS", 234);
        return await client.PresentedSubjectAsync();
    }
}
