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

    [Fact]
    public async Task Ftp_reads_its_settings_from_a_config_file_and_the_command_line_overrides_it()
    {
        var root = Directory.CreateTempSubdirectory("goplnet-ftp-config-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "alice"));
            await File.WriteAllTextAsync(Path.Combine(root, "alice", "notes.txt"), "alice's notes\n");
            var config = Path.Combine(root, "gopl.json");
            var hash = GoplNet.Ftp.Authentication.FtpPasswordHash.Create("secret");
            await File.WriteAllTextAsync(config, $$"""
                { "Ftp": { "Root": "{{root}}", "Port": 2121, "Banner": "from the file", "IdleTimeout": "90s",
                           "Users": [ { "Name": "alice", "PasswordHash": "{{hash}}", "Home": "/alice" } ] } }
                """);
            await using var ftp = tool.Start("ftp", "--config", config, "--port", "0");
            var port = await ClockCommandTests.BoundPortAsync(ftp);

            var get = await ProcessRunner.RunAsync("curl", ["-s", "-S", "--max-time", "20", $"ftp://alice:secret@127.0.0.1:{port}/notes.txt"], TimeSpan.FromSeconds(30));
            Assert.Equal("alice's notes\n", get.StandardOutput);
            Assert.Contains("logins: 1 accounts", ftp.StandardError, StringComparison.Ordinal);

            await File.WriteAllTextAsync(config, """{ "Ftp": { "Port": 0, "Users": [ { "Name": "bob", "Password": "plain" } ], "IdleTimout": "1m" } }""");
            var bad = await tool.RunAsync("ftp", "--config", config);
            Assert.Equal(2, bad.ExitCode);
            var line = Assert.Single(bad.StandardError.TrimEnd('\n').Split('\n'));
            Assert.Contains("Ftp:IdleTimout: unknown setting 'IdleTimout' (did you mean 'IdleTimeout'?)", line, StringComparison.Ordinal);
            Assert.Contains("Ftp:Users:0:Password: unknown user setting 'Password' (did you mean 'PasswordHash'?)", line, StringComparison.Ordinal);
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
    [InlineData("--passive-address", "not a host")]
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

    [Theory]
    [InlineData(2, "the password of 'alice' is not a hash that 'gopl ftp passwd' makes (pbkdf2-sha256$...); make the line with 'gopl ftp passwd alice'", "# accounts", "alice:secret:rw")]
    [InlineData(3, "'alice' is already defined on line 1", "alice:{hash}:rw", "", "alice:{hash}:ro")]
    [InlineData(1, "unknown permission 'rx' (rw for read-write, ro for read-only)", "bob:{hash}:rx")]
    [InlineData(1, "not NAME:HASH:rw or NAME:HASH:ro (optionally :HOME)", "bob:{hash}")]
    public async Task A_bad_users_file_stops_the_start_with_exit_2_naming_the_file_and_line(int line, string problem, params string[] lines)
    {
        var users = Path.GetTempFileName();
        try
        {
            var hash = GoplNet.Ftp.Authentication.FtpPasswordHash.Create("right");
            await File.WriteAllLinesAsync(users, lines.Select(l => l.Replace("{hash}", hash, StringComparison.Ordinal)));

            var result = await tool.RunAsync("ftp", "--port", "0", "--users-file", users);

            Assert.Equal(2, result.ExitCode);
            Assert.Equal($"gopl: --users-file: {users}:{line}: {problem}", result.StandardError.TrimEnd('\n'));
        }
        finally
        {
            File.Delete(users);
        }
    }

    [Theory]
    [InlineData("missing file", "--tls-cert: '{dir}/none.pem' does not exist", "--tls-cert", "{dir}/none.pem", "--tls-key", "{dir}/key.pem")]
    [InlineData("missing key file", "--tls-key: '{dir}/none.pem' does not exist", "--tls-cert", "{dir}/cert.pem", "--tls-key", "{dir}/none.pem")]
    [InlineData("PEM without its key", "--tls-cert: '{dir}/cert.pem' is a certificate without its private key; give the key with --tls-key", "--tls-cert", "{dir}/cert.pem")]
    [InlineData("key of another certificate", "--tls-key: '{dir}/other.pem' holds a private key that does not match the certificate in '{dir}/cert.pem'", "--tls-cert", "{dir}/cert.pem", "--tls-key", "{dir}/other.pem")]
    [InlineData("expired certificate", "--tls-cert: '{dir}/expired.pem' holds a certificate that expired on {expiry}", "--tls-cert", "{dir}/expired.pem", "--tls-key", "{dir}/expired-key.pem")]
    [InlineData("not a certificate", "--tls-cert: '{dir}/junk.pfx' is neither a PEM certificate nor a PKCS#12 file that opens with the password in GOPL_TLS_PASSWORD", "--tls-cert", "{dir}/junk.pfx")]
    public async Task A_TLS_mistake_exits_2_with_one_line_naming_the_file_and_the_problem(string mistake, string expected, params string[] options)
    {
        Assert.NotNull(mistake);
        var dir = Directory.CreateTempSubdirectory("goplnet-ftp-tls-").FullName;
        try
        {
            var now = DateTimeOffset.UtcNow;
            WritePem(dir, "cert.pem", "key.pem", now.AddDays(-1), now.AddDays(7));
            WritePem(dir, "other-cert.pem", "other.pem", now.AddDays(-1), now.AddDays(7));
            var expiry = WritePem(dir, "expired.pem", "expired-key.pem", now.AddDays(-30), now.AddDays(-2));
            await File.WriteAllTextAsync(Path.Combine(dir, "junk.pfx"), "not a certificate");
            string Fill(string text) => text.Replace("{dir}", dir, StringComparison.Ordinal).Replace("{expiry}", expiry, StringComparison.Ordinal);

            var result = await tool.RunAsync(["ftp", "--port", "0", "--root", dir, .. options.Select(Fill)]);

            Assert.Equal(2, result.ExitCode);
            Assert.Equal("gopl: " + Fill(expected), result.StandardError.TrimEnd('\n'));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Failed_logins_are_warnings_that_the_READMEs_fail2ban_filter_matches_in_text_and_json()
    {
        var filter = Path.Combine(InstalledTool.RepositoryRoot(), "tool", "fail2ban", "gopl-ftp.conf");
        var readme = await File.ReadAllTextAsync(Path.Combine(InstalledTool.RepositoryRoot(), "README.md"));
        Assert.Contains(await File.ReadAllTextAsync(filter), readme, StringComparison.Ordinal);

        foreach (var (format, marker) in new[] { ("text", "[1205]"), ("json", "\"EventId\":1205") })
        {
            var log = Path.GetTempFileName();
            try
            {
                await using (var ftp = tool.Start("ftp", "--root", Path.GetTempPath(), "--port", "0", "--user", "alice:right", "--log-format", format))
                {
                    var port = await ClockCommandTests.BoundPortAsync(ftp);

                    // A user name that names another address must not get that address banned.
                    foreach (var credentials in new[] { "alice:wrong", "mallory from 192.0.2.7:wrong" })
                    {
                        var login = await ProcessRunner.RunAsync("curl", ["-s", "--max-time", "20", "-u", credentials, $"ftp://127.0.0.1:{port}/"], TimeSpan.FromSeconds(30));
                        Assert.NotEqual(0, login.ExitCode);
                    }

                    await ftp.WaitForAsync(() => ftp.StandardError.Split('\n').Count(l => l.Contains(marker, StringComparison.Ordinal)) == 2, "two failed logins", TimeSpan.FromSeconds(20));
                    await File.WriteAllTextAsync(log, ftp.StandardError);
                }

                var failures = (await File.ReadAllLinesAsync(log)).Where(l => l.Contains(marker, StringComparison.Ordinal)).ToList();
                Assert.All(failures, l => Assert.Contains(format == "text" ? " warn: " : "\"LogLevel\":\"Warning\"", l, StringComparison.Ordinal));
                var check = await ProcessRunner.RunAsync("fail2ban-regex", ["-v", log, filter], TimeSpan.FromSeconds(30));
                Assert.True(check.ExitCode == 0, check.StandardOutput + check.StandardError);
                Assert.Matches(@"Lines: \d+ lines, 0 ignored, 2 matched", check.StandardOutput);
                var banned = System.Text.RegularExpressions.Regex.Matches(check.StandardOutput, @"(?m)^\|\s+(\S+)  \w{3} \w{3} ").Select(m => m.Groups[1].Value);
                Assert.Equal(["127.0.0.1", "127.0.0.1"], banned);
            }
            finally
            {
                File.Delete(log);
            }
        }
    }

    [Fact]
    public async Task Passwd_prompts_on_a_terminal_without_echoing_the_password()
    {
        var output = Path.GetTempFileName();
        try
        {
            await using var session = await TmuxSession.StartAsync($"'{tool.ExecutablePath}' ftp passwd carol > '{output}'");
            await session.CaptureUntilAsync(s => s.Contains("Password:", StringComparison.Ordinal));
            await session.SendKeysAsync("hunter 2");
            await session.SendKeysAsync("Enter", literal: false);
            var retype = await session.CaptureUntilAsync(s => s.Contains("Retype password:", StringComparison.Ordinal));
            await session.SendKeysAsync("hunter 2");
            await session.SendKeysAsync("Enter", literal: false);
            Assert.DoesNotContain("hunter", retype, StringComparison.Ordinal);

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            while (!(await File.ReadAllTextAsync(output, wait.Token)).EndsWith('\n'))
            {
                await Task.Delay(50, wait.Token);
            }

            var parts = (await File.ReadAllTextAsync(output, wait.Token)).TrimEnd('\n').Split(':');
            Assert.Equal("carol", parts[0]);
            Assert.True(GoplNet.Ftp.Authentication.FtpPasswordHash.Verify("hunter 2", parts[1]));
            Assert.Equal("rw", parts[2]);
        }
        finally
        {
            File.Delete(output);
        }
    }

    /// <summary>Writes a self-signed PEM certificate and its key; returns its expiry as the tool prints it.</summary>
    private static string WritePem(string directory, string certificateFile, string keyFile, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var ecdsa = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=localhost", ecdsa, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(notBefore, notAfter);
        File.WriteAllText(Path.Combine(directory, certificateFile), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, keyFile), ecdsa.ExportPkcs8PrivateKeyPem());
        return certificate.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
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
    public async Task Passwd_reads_standard_input_without_a_prompt_and_prints_a_users_file_line_that_logs_in()
    {
        var hashed = await ProcessRunner.RunAsync("bash", ["-c", $"echo 'pa ss' | '{tool.ExecutablePath}' ftp passwd bob"], TimeSpan.FromSeconds(30));
        Assert.Equal(0, hashed.ExitCode);
        Assert.Equal(string.Empty, hashed.StandardError);
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
