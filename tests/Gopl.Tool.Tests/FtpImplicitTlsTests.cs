namespace Gopl.Tool.Tests;

/// <summary>
/// Implicit FTPS through <c>gopl ftp --implicit-tls</c>: TLS from the first byte, as devices and
/// clients of the port-990 convention expect; curl's <c>ftps://</c> and Python's ftplib on a socket
/// wrapped in TLS before the greeting, each verifying a certificate made for the test.
/// </summary>
[Collection(InstalledToolGroup.Name)]
public sealed class FtpImplicitTlsTests(InstalledTool tool) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly string _root = Directory.CreateTempSubdirectory("goplnet-ftps-implicit-root-").FullName;
    private readonly string _work = Directory.CreateTempSubdirectory("goplnet-ftps-implicit-client-").FullName;
    private readonly byte[] _payload = new byte[1024 * 1024 + 3];
    private RunningProcess _server = null!;
    private string _certificate = null!;
    private int _port;

    public async Task InitializeAsync()
    {
        new Random(11).NextBytes(_payload);
        await File.WriteAllBytesAsync(Path.Combine(_root, "payload.bin"), _payload);
        await File.WriteAllBytesAsync(Path.Combine(_work, "upload.bin"), _payload);
        (_certificate, var key) = await TestCertificate.WritePemAsync(_work);
        _server = tool.Start("ftp", "--root", _root, "--port", "0", "--user", "alice:implicit pass", "--tls-cert", _certificate, "--tls-key", key, "--implicit-tls");
        _port = await ClockCommandTests.BoundPortAsync(_server);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_root, recursive: true);
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task Curl_ftps_url_downloads_and_uploads_and_a_plain_client_gets_no_greeting()
    {
        string[] common = ["-s", "-S", "--max-time", "20", "--retry", "0", "--cacert", _certificate, "-u", "alice:implicit pass"];
        var down = Path.Combine(_work, "curl-down.bin");
        var get = await ProcessRunner.RunAsync("curl", [.. common, "-o", down, $"ftps://127.0.0.1:{_port}/payload.bin"], Timeout);
        Assert.True(get.ExitCode == 0, get.StandardError + _server.StandardError);
        Assert.Equal(_payload, await File.ReadAllBytesAsync(down));

        var put = await ProcessRunner.RunAsync("curl", [.. common, "-T", Path.Combine(_work, "upload.bin"), $"ftps://127.0.0.1:{_port}/curl-up.bin"], Timeout);
        Assert.True(put.ExitCode == 0, put.StandardError + _server.StandardError);
        Assert.Equal(_payload, await File.ReadAllBytesAsync(Path.Combine(_root, "curl-up.bin")));

        var plain = await ProcessRunner.RunAsync("curl", [.. common, "--max-time", "3", "-o", Path.Combine(_work, "plain.bin"), $"ftp://127.0.0.1:{_port}/payload.bin"], Timeout);
        Assert.NotEqual(0, plain.ExitCode);
    }

    [Fact]
    public async Task Python_ftplib_on_a_TLS_wrapped_socket_logs_in_and_moves_files()
    {
        var script = $$"""
            import ftplib, io, socket, ssl
            context = ssl.create_default_context(cafile="{{_certificate}}")

            class ImplicitFTP(ftplib.FTP_TLS):
                def connect(self, host, port, timeout):
                    self.host, self.port, self.timeout = host, port, timeout
                    self.sock = context.wrap_socket(socket.create_connection((host, port), timeout), server_hostname="localhost")
                    self.af = self.sock.family
                    self.file = self.sock.makefile("r", encoding=self.encoding)
                    self.welcome = self.getresp()
                    return self.welcome

            f = ImplicitFTP(context=context)
            assert f.connect("127.0.0.1", {{_port}}, 10).startswith("220")
            f.login("alice", "implicit pass")
            assert "AUTH TLS" in f.sendcmd("FEAT")
            try:
                f.sendcmd("AUTH TLS")
                raise SystemExit("AUTH TLS was accepted on a protected connection")
            except ftplib.error_perm as e:
                assert str(e).startswith("503"), e
            f.prot_p()
            data = io.BytesIO()
            f.retrbinary("RETR payload.bin", data.write)
            open("{{_work}}/py-down.bin", "wb").write(data.getvalue())
            f.storbinary("STOR py-up.bin", io.BytesIO(data.getvalue()))
            f.quit()
            print("ok")
            """;
        var result = await ProcessRunner.RunPythonAsync(_work, script, Timeout);

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError + _server.StandardError);
        Assert.Equal("ok", result.StandardOutput.Trim());
        Assert.Equal(_payload, await File.ReadAllBytesAsync(Path.Combine(_work, "py-down.bin")));
        Assert.Equal(_payload, await File.ReadAllBytesAsync(Path.Combine(_root, "py-up.bin")));
    }
}
