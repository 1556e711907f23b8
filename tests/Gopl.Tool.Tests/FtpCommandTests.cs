using System.Net;
using System.Net.Sockets;

namespace Gopl.Tool.Tests;

[Collection(InstalledToolGroup.Name)]
public sealed class FtpCommandTests(InstalledTool tool)
{
    [Fact]
    public async Task Ftp_serves_anonymous_read_only_by_default_and_stops_on_SIGTERM()
    {
        var root = Directory.CreateTempSubdirectory("goplnet-ftp-tool-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(root, "readme.txt"), "from gopl ftp\n");
            await using var ftp = tool.Start("ftp", "--root", root, "--port", "0");
            var port = await ClockCommandTests.BoundPortAsync(ftp);

            var get = await ProcessRunner.RunAsync("curl", ["-s", "-S", "--max-time", "20", $"ftp://127.0.0.1:{port}/readme.txt"], TimeSpan.FromSeconds(30));
            Assert.Equal("from gopl ftp\n", get.StandardOutput);
            var put = await ProcessRunner.RunAsync("curl", ["-s", "-S", "--max-time", "20", "-T", Path.Combine(root, "readme.txt"), $"ftp://127.0.0.1:{port}/copy.txt"], TimeSpan.FromSeconds(30));
            Assert.NotEqual(0, put.ExitCode);
            Assert.False(File.Exists(Path.Combine(root, "copy.txt")));

            ftp.Signal(15);
            Assert.Equal(0, await ftp.WaitForExitAsync(TimeSpan.FromSeconds(15)));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData("--root", "/nonexistent/goplnet")]
    [InlineData("--passive-ports", "50000-40000")]
    [InlineData("--passive-ports", "80-90")]
    [InlineData("--passive-address", "not-an-ip")]
    [InlineData("--user", "nocolon")]
    [InlineData("--users-file", "/nonexistent/users")]
    [InlineData("--tls-cert", "/nonexistent/cert.pem")]
    [InlineData("--tls-key", "/nonexistent/key.pem")]
    [InlineData("--xferlog", "/nonexistent/dir/xferlog")]
    [InlineData("--max-sessions", "0")]
    [InlineData("--max-sessions-per-address", "-1")]
    [InlineData("--idle-timeout", "soon")]
    [InlineData("--stall-timeout", "0s")]
    [InlineData("--require-tls", null)]
    public async Task Bad_arguments_exit_2_with_one_line_naming_the_argument(string option, string? value)
    {
        var result = value is null
            ? await tool.RunAsync("ftp", "--port", "0", option)
            : await tool.RunAsync("ftp", "--port", "0", option, value);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.StandardError.TrimEnd('\n').Split('\n'));
        Assert.Contains(option, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_PKCS12_certificate_serves_FTPS()
    {
        var root = Directory.CreateTempSubdirectory("goplnet-ftp-pfx-").FullName;
        var work = Directory.CreateTempSubdirectory("goplnet-ftp-pfx-client-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(root, "secret.txt"), "over TLS\n");
            using (var rsa = System.Security.Cryptography.RSA.Create(2048))
            {
                var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(
                    "CN=127.0.0.1", rsa, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
                var names = new System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder();
                names.AddIpAddress(IPAddress.Loopback);
                request.CertificateExtensions.Add(names.Build());
                using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
                await File.WriteAllBytesAsync(Path.Combine(work, "server.pfx"), certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx, "pfx pass"));
                await File.WriteAllTextAsync(Path.Combine(work, "ca.pem"), certificate.ExportCertificatePem());
            }

            await using var ftp = tool.Start(["ftp", "--root", root, "--port", "0", "--tls-cert", Path.Combine(work, "server.pfx")],
                new Dictionary<string, string> { ["GOPL_TLS_PASSWORD"] = "pfx pass" });
            var port = await ClockCommandTests.BoundPortAsync(ftp);
            var get = await ProcessRunner.RunAsync("curl",
                ["-s", "-S", "--max-time", "20", "--ssl-reqd", "--cacert", Path.Combine(work, "ca.pem"), $"ftp://127.0.0.1:{port}/secret.txt"], TimeSpan.FromSeconds(30));

            Assert.True(get.ExitCode == 0, get.StandardError);
            Assert.Equal("over TLS\n", get.StandardOutput);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task Xferlog_gets_a_line_per_transfer()
    {
        var root = Directory.CreateTempSubdirectory("goplnet-ftp-xferlog-").FullName;
        var log = Path.Combine(root, "..", Path.GetFileName(root) + ".xferlog");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(root, "notes.txt"), "twelve bytes");
            await using (var ftp = tool.Start("ftp", "--root", root, "--port", "0", "--xferlog", log))
            {
                var port = await ClockCommandTests.BoundPortAsync(ftp);
                var get = await ProcessRunner.RunAsync("curl", ["-s", "-S", "--max-time", "20", $"ftp://127.0.0.1:{port}/notes.txt"], TimeSpan.FromSeconds(30));
                Assert.True(get.ExitCode == 0, get.StandardError);
                ftp.Signal(15);
                Assert.Equal(0, await ftp.WaitForExitAsync(TimeSpan.FromSeconds(15)));
            }

            var line = Assert.Single(await File.ReadAllLinesAsync(log));
            Assert.Matches(@"^\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4} \d+ 127\.0\.0\.1 12 /notes\.txt b _ o a anonymous ftp 0 \* c$", line);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
            File.Delete(log);
        }
    }

    [Fact]
    public async Task A_port_in_use_exits_1()
    {
        using var occupant = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        occupant.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        occupant.Listen();
        var port = ((IPEndPoint)occupant.LocalEndPoint!).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var result = await tool.RunAsync("ftp", "--root", Path.GetTempPath(), "--port", port);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("address already in use", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Passwd_prints_a_users_file_line_that_logs_in()
    {
        var hashed = await ProcessRunner.RunAsync("bash", ["-c", $"echo 'pa ss' | '{tool.ExecutablePath}' ftp passwd bob"], TimeSpan.FromSeconds(30));
        Assert.Equal(0, hashed.ExitCode);
        Assert.Matches(@"^bob:pbkdf2-sha256\$\d+\$[^$:]+\$[^$:]+:rw$", hashed.StandardOutput.Trim());

        var root = Directory.CreateTempSubdirectory("goplnet-ftp-users-").FullName;
        var users = Path.Combine(root, "..", Path.GetFileName(root) + ".users");
        try
        {
            await File.WriteAllTextAsync(users, hashed.StandardOutput);
            await using var ftp = tool.Start("ftp", "--root", root, "--port", "0", "--users-file", users);
            var port = await ClockCommandTests.BoundPortAsync(ftp);
            var put = await ProcessRunner.RunAsync("curl", ["-s", "-S", "--max-time", "20", "-u", "bob:pa ss", "-T", users, $"ftp://127.0.0.1:{port}/in.txt"], TimeSpan.FromSeconds(30));

            Assert.True(put.ExitCode == 0, put.StandardError);
            Assert.True(File.Exists(Path.Combine(root, "in.txt")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
            File.Delete(users);
        }
    }
}
