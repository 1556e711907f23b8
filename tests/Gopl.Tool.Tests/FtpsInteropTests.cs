namespace Gopl.Tool.Tests;

/// <summary>
/// Explicit FTPS (RFC 4217) through <c>gopl ftp --tls-cert --tls-key --require-tls</c>, and
/// implicit FTPS through <c>--implicit-tls</c> (curl's <c>ftps://</c>, ftplib on a TLS-wrapped socket), against
/// real TLS clients that verify a certificate generated for the test: curl, lftp and Python's
/// FTP_TLS. Files go both ways over protected data connections and are compared byte for byte.
/// </summary>
[Collection(InstalledToolGroup.Name)]
public sealed class FtpsInteropTests(InstalledTool tool) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly string _root = Directory.CreateTempSubdirectory("goplnet-ftps-root-").FullName;
    private readonly string _work = Directory.CreateTempSubdirectory("goplnet-ftps-client-").FullName;
    private readonly byte[] _payload = new byte[2 * 1024 * 1024 + 5];
    private RunningProcess _server = null!;
    private int _port;

    private string Certificate => Path.Combine(_work, "cert.pem");

    public async Task InitializeAsync()
    {
        new Random(7).NextBytes(_payload);
        await File.WriteAllBytesAsync(Path.Combine(_root, "payload.bin"), _payload);
        await File.WriteAllBytesAsync(Path.Combine(_work, "upload.bin"), _payload);
        var (_, key) = await TestCertificate.WritePemAsync(_work);
        _server = tool.Start("ftp", "--root", _root, "--port", "0", "--user", "alice:tls pass", "--tls-cert", Certificate, "--tls-key", key, "--require-tls", "--verbose");
        _port = await ClockCommandTests.BoundPortAsync(_server);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_root, recursive: true);
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task Curl_with_ssl_reqd_downloads_and_uploads_and_plain_curl_is_refused()
    {
        string[] common = ["-s", "-S", "--max-time", "20", "--retry", "0", "--cacert", Certificate, "-u", "alice:tls pass"];
        var down = Path.Combine(_work, "curl-down.bin");
        var get = await ProcessRunner.RunAsync("curl", [.. common, "--ssl-reqd", "-o", down, $"ftp://127.0.0.1:{_port}/payload.bin"], Timeout);
        Assert.True(get.ExitCode == 0, get.StandardError);
        Assert.Equal(_payload, await File.ReadAllBytesAsync(down));

        var put = await ProcessRunner.RunAsync("curl", [.. common, "--ssl-reqd", "-T", Path.Combine(_work, "upload.bin"), $"ftp://127.0.0.1:{_port}/curl-up.bin"], Timeout);
        Assert.True(put.ExitCode == 0, put.StandardError + _server.StandardError);
        Assert.Equal(_payload, await File.ReadAllBytesAsync(Path.Combine(_root, "curl-up.bin")));

        var plain = await ProcessRunner.RunAsync("curl", [.. common, "-o", Path.Combine(_work, "plain.bin"), $"ftp://127.0.0.1:{_port}/payload.bin"], Timeout);
        Assert.NotEqual(0, plain.ExitCode);
        Assert.False(File.Exists(Path.Combine(_work, "plain.bin")) && new FileInfo(Path.Combine(_work, "plain.bin")).Length > 0);
    }

    [Fact]
    public async Task Lftp_with_ssl_force_puts_and_gets()
    {
        var settings = $"set net:max-retries 1; set net:timeout 10; set ftp:ssl-force true; set ftp:ssl-protect-data true; set ssl:ca-file '{Certificate}'; set ssl:verify-certificate true;";
        var result = await ProcessRunner.RunAsync("lftp",
            ["-c", $"{settings} open -u 'alice,tls pass' -p {_port} 127.0.0.1; put '{Path.Combine(_work, "upload.bin")}' -o lftp-up.bin; get payload.bin -o '{Path.Combine(_work, "lftp-down.bin")}'"], Timeout);

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError + _server.StandardError);
        Assert.Equal(_payload, await File.ReadAllBytesAsync(Path.Combine(_root, "lftp-up.bin")));
        Assert.Equal(_payload, await File.ReadAllBytesAsync(Path.Combine(_work, "lftp-down.bin")));
    }

    [Fact]
    public async Task Python_FTP_TLS_protects_control_and_data()
    {
        var script = $$"""
            import ftplib, io, ssl
            context = ssl.create_default_context(cafile="{{Certificate}}")
            f = ftplib.FTP_TLS(context=context)
            f.connect("127.0.0.1", {{_port}}, timeout=10)
            try:
                f.login("alice", "tls pass", secure=False)
                raise SystemExit("login in the clear was accepted")
            except ftplib.error_perm as e:
                assert str(e).startswith("530"), e
            f.auth()
            f.login("alice", "tls pass", secure=False)
            try:
                f.retrbinary("RETR payload.bin", lambda b: None)
                raise SystemExit("a clear data connection was accepted")
            except ftplib.error_perm as e:
                assert str(e).startswith("521"), e
            f.prot_p()
            data = io.BytesIO()
            f.retrbinary("RETR payload.bin", data.write)
            open("{{_work}}/py-down.bin", "wb").write(data.getvalue())
            f.storbinary("STOR py-up.bin", io.BytesIO(data.getvalue()))
            assert "py-up.bin" in f.nlst()
            try:
                f.sendcmd("PROT C")
                raise SystemExit("PROT C was accepted under --require-tls")
            except ftplib.error_perm as e:
                assert str(e).startswith("534"), e
            f.quit()
            print("ok")
            """;
        var result = await ProcessRunner.RunPythonAsync(_work, script, Timeout);

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Equal("ok", result.StandardOutput.Trim());
        Assert.Equal(_payload, await File.ReadAllBytesAsync(Path.Combine(_work, "py-down.bin")));
        Assert.Equal(_payload, await File.ReadAllBytesAsync(Path.Combine(_root, "py-up.bin")));
    }

    [Fact]
    public async Task Curl_ftps_url_downloads_and_uploads_over_implicit_TLS_and_a_plain_client_gets_no_greeting()
    {
        await using var implicitServer = StartImplicit();
        var port = await ClockCommandTests.BoundPortAsync(implicitServer);
        string[] common = ["-s", "-S", "--max-time", "20", "--retry", "0", "--cacert", Certificate, "-u", "alice:tls pass"];
        var down = Path.Combine(_work, "curl-implicit-down.bin");
        var get = await ProcessRunner.RunAsync("curl", [.. common, "-o", down, $"ftps://127.0.0.1:{port}/payload.bin"], Timeout);
        Assert.True(get.ExitCode == 0, get.StandardError + implicitServer.StandardError);
        Assert.Equal(_payload, await File.ReadAllBytesAsync(down));

        var put = await ProcessRunner.RunAsync("curl", [.. common, "-T", Path.Combine(_work, "upload.bin"), $"ftps://127.0.0.1:{port}/curl-implicit-up.bin"], Timeout);
        Assert.True(put.ExitCode == 0, put.StandardError + implicitServer.StandardError);
        Assert.Equal(_payload, await File.ReadAllBytesAsync(Path.Combine(_root, "curl-implicit-up.bin")));

        var plain = await ProcessRunner.RunAsync("curl", [.. common, "--max-time", "3", "-o", Path.Combine(_work, "plain.bin"), $"ftp://127.0.0.1:{port}/payload.bin"], Timeout);
        Assert.NotEqual(0, plain.ExitCode);
    }

    [Fact]
    public async Task Python_ftplib_on_a_TLS_wrapped_socket_logs_in_over_implicit_TLS_and_moves_files()
    {
        await using var implicitServer = StartImplicit();
        var port = await ClockCommandTests.BoundPortAsync(implicitServer);
        var script = $$"""
            import ftplib, io, socket, ssl
            context = ssl.create_default_context(cafile="{{Certificate}}")

            class ImplicitFTP(ftplib.FTP_TLS):
                def connect(self, host, port, timeout):
                    self.host, self.port, self.timeout = host, port, timeout
                    self.sock = context.wrap_socket(socket.create_connection((host, port), timeout), server_hostname="localhost")
                    self.af = self.sock.family
                    self.file = self.sock.makefile("r", encoding=self.encoding)
                    self.welcome = self.getresp()
                    return self.welcome

            f = ImplicitFTP(context=context)
            assert f.connect("127.0.0.1", {{port}}, 10).startswith("220")
            f.login("alice", "tls pass")
            assert "AUTH TLS" in f.sendcmd("FEAT")
            try:
                f.sendcmd("AUTH TLS")
                raise SystemExit("AUTH TLS was accepted on a protected connection")
            except ftplib.error_perm as e:
                assert str(e).startswith("503"), e
            f.prot_p()
            data = io.BytesIO()
            f.retrbinary("RETR payload.bin", data.write)
            open("{{_work}}/py-implicit-down.bin", "wb").write(data.getvalue())
            f.storbinary("STOR py-implicit-up.bin", io.BytesIO(data.getvalue()))
            f.quit()
            print("ok")
            """;
        var result = await ProcessRunner.RunPythonAsync(_work, script, Timeout);

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError + implicitServer.StandardError);
        Assert.Equal("ok", result.StandardOutput.Trim());
        Assert.Equal(_payload, await File.ReadAllBytesAsync(Path.Combine(_work, "py-implicit-down.bin")));
        Assert.Equal(_payload, await File.ReadAllBytesAsync(Path.Combine(_root, "py-implicit-up.bin")));
    }

    /// <summary>A second server on the same files: implicit FTPS (TLS from the first byte), as devices of the port-990 convention expect.</summary>
    private RunningProcess StartImplicit() =>
        tool.Start("ftp", "--root", _root, "--port", "0", "--user", "alice:tls pass", "--tls-cert", Certificate, "--tls-key", Path.Combine(_work, "key.pem"), "--implicit-tls");
}
