using GoplNet.Ftp;

namespace Gopl.Tool.Tests;

/// <summary>
/// A rate-limited curl (<c>--limit-rate</c>) against a short stall timeout: served in full, and a
/// download cut short logs the bytes the client had acknowledged. (curl's limiter reads its whole
/// receive buffer at once, then pauses until its average is down to the rate: the stall timeout
/// must outlast that pause, buffer / rate, here about 3 s. A client that reads steadily is
/// covered by FtpSlowReaderTests, with a tighter timeout.)
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "IAsyncLifetime.DisposeAsync disposes the server.")]
public sealed class FtpSlowClientTests : IAsyncLifetime
{
    private const int FileSize = 20 * 1024 * 1024;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly string _root = Directory.CreateTempSubdirectory("goplnet-ftp-slow-root-").FullName;
    private readonly string _work = Directory.CreateTempSubdirectory("goplnet-ftp-slow-client-").FullName;
    private FtpServer _server = null!;

    private string TransferLog => Path.Combine(_work, "xferlog");

    public async Task InitializeAsync()
    {
        var payload = new byte[FileSize];
        new Random(3).NextBytes(payload);
        await File.WriteAllBytesAsync(Path.Combine(_root, "big.bin"), payload);

        var options = new FtpServerOptions { Root = _root, Port = 0, StalledTransferTimeout = TimeSpan.FromSeconds(4), TransferLogPath = TransferLog, AllowAnonymous = true };
        _server = new FtpServer(options);
        await _server.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_root, recursive: true);
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task A_rate_limited_download_is_not_cut_off_as_stalled()
    {
        var down = Path.Combine(_work, "down.bin");
        var result = await ProcessRunner.RunAsync("curl",
            ["-s", "-S", "--retry", "0", "--max-time", "40", "--limit-rate", "4M", "-o", down, $"ftp://127.0.0.1:{_server.LocalEndPoint.Port}/big.bin"], Timeout);

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(FileSize, new FileInfo(down).Length);
    }

    [Fact]
    public async Task A_download_cut_short_logs_the_bytes_it_moved()
    {
        var result = await ProcessRunner.RunAsync("curl",
            ["-s", "--retry", "0", "--max-time", "2", "--limit-rate", "2M", "-o", Path.Combine(_work, "part.bin"), $"ftp://127.0.0.1:{_server.LocalEndPoint.Port}/big.bin"], Timeout);
        Assert.Equal(28, result.ExitCode);

        // xferlog: ... bytes name type action direction access user service auth-method user-id status (i: incomplete).
        var deadline = DateTime.UtcNow + Timeout;
        string[] fields;
        while ((fields = File.Exists(TransferLog) ? File.ReadAllText(TransferLog).Split(' ', StringSplitOptions.RemoveEmptyEntries) : []).Length == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "no xferlog line");
            await Task.Delay(20);
        }

        Assert.Equal("i", fields[^1].Trim());
        Assert.InRange(long.Parse(fields[7], System.Globalization.CultureInfo.InvariantCulture), 1024 * 1024, FileSize - 1);
    }
}
