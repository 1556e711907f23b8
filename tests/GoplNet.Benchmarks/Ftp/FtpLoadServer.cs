using GoplNet.Ftp;
using GoplNet.Ftp.Authentication;

namespace GoplNet.Benchmarks.Ftp;

/// <summary>
/// <c>ftp-server ROOT</c>: a GoplNet <see cref="FtpServer"/> in a process of its own for the FTP
/// benchmark: anonymous (read-only) and the account bench/bench (read-write). Prints its address
/// to standard error; stops when standard input closes.
/// </summary>
internal static class FtpLoadServer
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = new FtpServerOptions { Root = args[0], Port = 0, AllowAnonymous = true, MaxSessionsPerAddress = 1000 };
        options.Users.Add(FtpUser.WithPassword("bench", "bench"));
        await using var server = new FtpServer(options);
        await server.StartAsync(CancellationToken.None);
        await Console.Error.WriteLineAsync($"listening on {server.LocalEndPoint}");
        await Console.In.ReadToEndAsync();
        return 0;
    }
}
