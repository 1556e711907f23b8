using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using GoplNet.Ftp;
using GoplNet.Ftp.Authentication;
using GoplNet.Ftp.Events;
using GoplNet.Ftp.Storage;

namespace GoplNet.Tests.Ftp;

/// <summary>
/// The FTP server's extension points used the way an application uses them, through the public API
/// only: its own storage, its own authenticator, event handlers and an upload veto, with real
/// clients (Python's ftplib) and a raw control connection over loopback.
/// </summary>
public sealed class FtpExtensionPointTests
{
    [Fact]
    public async Task An_in_memory_server_serves_ftplib_uploads_downloads_directories_and_renames()
    {
        var files = new InMemoryFtpFileSystem();
        files.WriteAllBytes("/pub/hello.txt", "hello\n"u8);
        var options = new FtpServerOptions { Port = 0, FileSystem = files };
        options.Users.Add(FtpUser.WithPassword("alice", "secret"));
        await using var server = new FtpServer(options);
        await server.StartAsync(CancellationToken.None);

        var output = await FtpLib.RunAsync(server.LocalEndPoint, "alice", "secret", """
            import io
            out = io.BytesIO(); ftp.retrbinary('RETR pub/hello.txt', out.write); print(out.getvalue().decode().strip())
            ftp.mkd('in')
            ftp.storbinary('STOR in/report.csv', io.BytesIO(b'a,b\n1,2\n'))
            ftp.rename('in/report.csv', 'in/renamed.csv')
            print(sorted(ftp.nlst('in')))
            ftp.voidcmd('TYPE I'); print(ftp.size('in/renamed.csv'))
            """);

        Assert.Equal(["hello", "['renamed.csv']", "8"], output);
        Assert.Equal("a,b\n1,2\n"u8.ToArray(), files.ReadAllBytes("/in/renamed.csv"));
        Assert.False(files.Exists("/in/report.csv"));
    }

    [Fact]
    public async Task A_custom_authenticator_gives_two_users_their_own_homes_and_permissions()
    {
        var files = new InMemoryFtpFileSystem();
        files.WriteAllBytes("/homes/ann/notes.txt", "ann's\n"u8);
        files.WriteAllBytes("/homes/bob/notes.txt", "bob's\n"u8);
        var authenticator = new TwoUsers();
        await using var server = new FtpServer(new FtpServerOptions { Port = 0, FileSystem = files, Authenticator = authenticator });
        await server.StartAsync(CancellationToken.None);

        var ann = await FtpLib.RunAsync(server.LocalEndPoint, "ann", "ann-pw", """
            import io
            print(ftp.pwd()); print(ftp.nlst())
            out = io.BytesIO(); ftp.retrbinary('RETR notes.txt', out.write); print(out.getvalue().decode().strip())
            ftp.cwd('..'); print(ftp.pwd()); print(ftp.nlst())
            ftp.storbinary('STOR ../../notes.txt', io.BytesIO(b'overwritten\n'))
            """);
        Assert.Equal(["/", "['notes.txt']", "ann's", "/", "['notes.txt']"], ann);
        Assert.Equal("bob's\n"u8.ToArray(), files.ReadAllBytes("/homes/bob/notes.txt"));
        Assert.Equal("overwritten\n"u8.ToArray(), files.ReadAllBytes("/homes/ann/notes.txt"));

        var bob = await FtpLib.RunAsync(server.LocalEndPoint, "bob", "bob-pw", """
            import io, ftplib
            out = io.BytesIO(); ftp.retrbinary('RETR notes.txt', out.write); print(out.getvalue().decode().strip())
            try:
                ftp.storbinary('STOR new.txt', io.BytesIO(b'x'))
            except ftplib.error_perm as e:
                print(str(e)[:3])
            """);
        Assert.Equal(["bob's", "550"], bob);
        Assert.False(files.Exists("/homes/bob/new.txt"));

        await using var wrong = await FtpTestClient.ConnectAsync(server.LocalEndPoint);
        await wrong.ReadAsync();
        await wrong.ExpectAsync("USER ann", 331);
        Assert.Equal(530, (await wrong.CommandAsync("PASS bob-pw")).Code);
        Assert.Equal([("ann", true), ("bob", true), ("ann", false)], authenticator.Seen.Select(s => (s.UserName, s.FromLoopback)));
    }

    [Fact]
    public async Task An_upload_handler_processes_each_completed_file_and_a_veto_discards_the_upload()
    {
        var files = new InMemoryFtpFileSystem();
        files.WriteAllBytes("/keep.exe", "old"u8);
        var events = new Recorder();
        var options = new FtpServerOptions { Port = 0, FileSystem = files, LoginFailureDelay = TimeSpan.Zero, Events = { events } };
        options.Users.Add(FtpUser.WithPassword("cam", "pw"));
        await using var server = new FtpServer(options);
        await server.StartAsync(CancellationToken.None);

        await using (var client = await FtpTestClient.LoginAsync(server.LocalEndPoint, "cam", "pw"))
        {
            Assert.Equal(226, (await client.UploadAsync("STOR scan-001.jpg", "JPEG bytes"u8.ToArray())).Code);
            var refused = await client.UploadAsync("STOR keep.exe", "MZ new"u8.ToArray());
            Assert.Equal(553, refused.Code);
            Assert.Contains("executables are not accepted", refused.Text, StringComparison.Ordinal);
            await client.ExpectAsync("DELE scan-001.jpg", 250);
            await client.ExpectAsync("QUIT", 221);
            await FtpTestServer.EventuallyAsync(() => events.Lines.Contains("ended cam"), "the session-ended event");
        }

        Assert.Equal("old"u8.ToArray(), files.ReadAllBytes("/keep.exe"));
        Assert.Equal(
            ["login cam", "completing /scan-001.jpg 10 JPEG bytes", "received /scan-001.jpg 10 bytes: JPEG bytes", "completing /keep.exe 6 MZ new",
             "upload /keep.exe ended early: refused", "deleted /scan-001.jpg", "ended cam"],
            events.Lines);
    }

    [Fact]
    public async Task A_failing_handler_is_logged_and_the_session_goes_on()
    {
        var files = new InMemoryFtpFileSystem();
        var options = new FtpServerOptions { Port = 0, FileSystem = files, AllowAnonymous = true, Events = { new Throwing() } };
        options.Users.Add(FtpUser.WithPassword("alice", "secret"));
        await using var server = new FtpServer(options);
        await server.StartAsync(CancellationToken.None);

        await using var client = await FtpTestClient.LoginAsync(server.LocalEndPoint, "alice", "secret");
        Assert.Equal(226, (await client.UploadAsync("STOR a.txt", "data"u8.ToArray())).Code);
        await client.ExpectAsync("MKD d", 257);
        var (data, reply) = await client.DownloadAsync("RETR a.txt");
        Assert.Equal((226, "data"), (reply.Code, Encoding.ASCII.GetString(data)));
        await client.ExpectAsync("NOOP", 200);
    }

    [Fact]
    public async Task A_failing_upload_hook_refuses_the_upload_rather_than_let_it_through()
    {
        var files = new InMemoryFtpFileSystem();
        var options = new FtpServerOptions { Port = 0, FileSystem = files, Events = { new Throwing() } };
        options.Users.Add(FtpUser.WithPassword("alice", "secret"));
        await using var server = new FtpServer(options);
        await server.StartAsync(CancellationToken.None);

        await using var client = await FtpTestClient.LoginAsync(server.LocalEndPoint, "alice", "secret");
        Assert.Equal(451, (await client.UploadAsync("STOR scan.me", "data"u8.ToArray())).Code);
        Assert.False(files.Exists("/scan.me"));
        await client.ExpectAsync("NOOP", 200);
    }

    [Fact]
    public async Task Account_limits_cap_an_uploads_size_and_the_accounts_sessions()
    {
        var files = new InMemoryFtpFileSystem();
        var options = new FtpServerOptions { Port = 0, FileSystem = files };
        options.Users.Add(FtpUser.WithPassword("small", "pw") with { MaxUploadBytes = 1000, MaxSessions = 1 });
        await using var server = new FtpServer(options);
        await server.StartAsync(CancellationToken.None);

        await using var first = await FtpTestClient.LoginAsync(server.LocalEndPoint, "small", "pw");
        Assert.Equal(226, (await first.UploadAsync("STOR ok.bin", new byte[1000])).Code);
        Assert.Equal(552, (await first.UploadAsync("STOR big.bin", new byte[100_000])).Code);
        Assert.False(files.Exists("/big.bin"));

        await using var second = await FtpTestClient.ConnectAsync(server.LocalEndPoint);
        await second.ReadAsync();
        await second.ExpectAsync("USER small", 331);
        Assert.Equal(421, (await second.CommandAsync("PASS pw")).Code);

        await first.ExpectAsync("QUIT", 221);
        await FtpTestServer.EventuallyAsync(() => server.SessionCount == 0, "the sessions are gone");
        await using var third = await FtpTestClient.LoginAsync(server.LocalEndPoint, "small", "pw");
    }

    [Fact]
    public async Task Accounts_replaced_while_logins_run_never_break_a_login()
    {
        var steady = FtpUser.WithPassword("steady", "pw");
        using var authenticator = new FtpUserAuthenticator([steady], failurePause: TimeSpan.Zero);
        var options = new FtpServerOptions { Port = 0, FileSystem = new InMemoryFtpFileSystem(), Authenticator = authenticator, LoginFailureDelay = TimeSpan.Zero };
        await using var server = new FtpServer(options);
        await server.StartAsync(CancellationToken.None);

        using var editing = new CancellationTokenSource();
        var others = Enumerable.Range(0, 20).Select(i => FtpUser.WithPassword($"other{i}", "x")).ToArray();
        var editor = Task.Run(async () =>
        {
            for (var i = 0; !editing.IsCancellationRequested; i++)
            {
                authenticator.SetUsers([steady, .. others.Take(i % others.Length)]);
                await Task.Yield();
            }
        });
        // From 59 loopback addresses: one address may have only four password checks waiting.
        var logins = await Task.WhenAll(Enumerable.Range(1, 59).Select(async i =>
        {
            await using var client = await FtpTestClient.ConnectAsync(server.LocalEndPoint, IPAddress.Parse($"127.0.0.{i}"));
            await client.ReadAsync();
            await client.ExpectAsync("USER steady", 331);
            return (await client.CommandAsync("PASS pw")).Code;
        }));
        await editing.CancelAsync();
        await editor;

        Assert.All(logins, code => Assert.Equal(230, code));
    }

    [Fact]
    public void A_server_nobody_can_log_in_to_refuses_to_start()
    {
        var e = Assert.Throws<ArgumentException>(() => new FtpServer(new FtpServerOptions { Port = 0, FileSystem = new InMemoryFtpFileSystem() }));
        Assert.Contains("lets nobody log in", e.Message, StringComparison.Ordinal);
    }

    /// <summary>ann (everything) and bob (read-only), each in a home of their own.</summary>
    [Fact]
    public async Task A_storage_whose_upload_stream_is_its_own_FileStream_sees_every_byte_written()
    {
        // Long local uploads move their bytes in the kernel; a FileStream subclass (here one that
        // hashes what it is given) must still get every byte through its Write.
        var files = new InMemoryFtpFileSystem();
        var storage = new HashingStorage(files);
        var options = new FtpServerOptions { Port = 0, FileSystem = storage, LoginFailureDelay = TimeSpan.Zero };
        options.Users.Add(FtpUser.WithPassword("cam", "pw"));
        await using var server = new FtpServer(options);
        await server.StartAsync(CancellationToken.None);
        var payload = new byte[3 * 1024 * 1024 + 7];
        new Random(9).NextBytes(payload);

        await using var client = await FtpTestClient.LoginAsync(server.LocalEndPoint, "cam", "pw");
        Assert.Equal(226, (await client.UploadAsync("STOR clip.bin", payload)).Code);

        Assert.Equal(payload, files.ReadAllBytes("/clip.bin"));
        Assert.Equal(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(payload)), storage.LastHash);
    }

    /// <summary>Storage in memory whose uploads pass through a temporary local file written by a hashing FileStream.</summary>
    private sealed class HashingStorage(InMemoryFtpFileSystem inner) : IFtpFileSystem
    {
        public string? LastHash { get; private set; }

        public InMemoryFtpFileSystem Inner => inner;

        public string Description => "hashing " + inner.Description;

        public FtpStorageCapabilities Capabilities => inner.Capabilities;

        public ValueTask<FtpEntry?> GetEntryAsync(string path, CancellationToken cancellationToken) => inner.GetEntryAsync(path, cancellationToken);

        public ValueTask<IReadOnlyList<FtpEntry>?> ListAsync(string path, CancellationToken cancellationToken) => inner.ListAsync(path, cancellationToken);

        public ValueTask<Stream> OpenReadAsync(string path, long offset, CancellationToken cancellationToken) => inner.OpenReadAsync(path, offset, cancellationToken);

        public ValueTask<FtpUpload> BeginUploadAsync(string path, FtpUploadMode mode, long offset, CancellationToken cancellationToken) =>
            ValueTask.FromResult<FtpUpload>(new HashingUpload(this, path));

        public ValueTask DeleteFileAsync(string path, CancellationToken cancellationToken) => inner.DeleteFileAsync(path, cancellationToken);

        public ValueTask CreateDirectoryAsync(string path, CancellationToken cancellationToken) => inner.CreateDirectoryAsync(path, cancellationToken);

        public ValueTask RemoveDirectoryAsync(string path, CancellationToken cancellationToken) => inner.RemoveDirectoryAsync(path, cancellationToken);

        public ValueTask RenameAsync(string path, string newPath, CancellationToken cancellationToken) => inner.RenameAsync(path, newPath, cancellationToken);

        private sealed class HashingUpload(HashingStorage owner, string path) : FtpUpload
        {
            private readonly HashingFileStream _file = new(Path.GetTempFileName());

            public override Stream Stream => _file;

            public override ValueTask CommitAsync(CancellationToken cancellationToken)
            {
                _file.Flush();
                owner.LastHash = Convert.ToHexString(_file.Hash.GetHashAndReset());
                owner.Inner.WriteAllBytes(path, File.ReadAllBytes(_file.Name));
                return ValueTask.CompletedTask;
            }

            protected override ValueTask DisposeAsyncCore()
            {
                _file.Dispose();
                File.Delete(_file.Name);
                return ValueTask.CompletedTask;
            }
        }

        private sealed class HashingFileStream(string path) : FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read, 1)
        {
            public System.Security.Cryptography.IncrementalHash Hash { get; } = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);

            public override void Write(byte[] buffer, int offset, int count)
            {
                Hash.AppendData(buffer, offset, count);
                base.Write(buffer, offset, count);
            }

            public override void Write(ReadOnlySpan<byte> buffer)
            {
                Hash.AppendData(buffer);
                base.Write(buffer);
            }

            public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
            {
                Hash.AppendData(buffer.Span);
                return base.WriteAsync(buffer, cancellationToken);
            }

            protected override void Dispose(bool disposing)
            {
                if (disposing)
                {
                    Hash.Dispose();
                }

                base.Dispose(disposing);
            }
        }
    }

    private sealed class TwoUsers : IFtpAuthenticator
    {
        public ConcurrentQueue<(string UserName, bool FromLoopback)> Seen { get; } = new();

        public ValueTask<FtpAuthenticationResult> AuthenticateAsync(FtpLoginRequest request, CancellationToken cancellationToken)
        {
            var ok = (request.UserName, request.Password) is ("ann", "ann-pw") or ("bob", "bob-pw");
            Seen.Enqueue((request.UserName, ok && IPAddress.IsLoopback(request.RemoteEndPoint.Address)));
            return ValueTask.FromResult(!ok ? FtpAuthenticationResult.Failure()
                : request.UserName == "ann" ? FtpAuthenticationResult.Success(new FtpAccount("ann") { Home = "/homes/ann" })
                : FtpAuthenticationResult.Success(new FtpAccount("bob") { Home = "/homes/bob", Permissions = FtpPermissions.ReadOnly }));
        }
    }

    /// <summary>Records what happens, reads each completed upload back, and refuses executables.</summary>
    private sealed class Recorder : FtpServerEvents
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IReadOnlyList<string> Lines => [.. _lines];

        public override ValueTask OnLoginSucceededAsync(FtpLoginSucceededEvent e, CancellationToken cancellationToken)
        {
            _lines.Enqueue($"login {e.Account.Name}");
            return ValueTask.CompletedTask;
        }

        public override async ValueTask<FtpUploadVerdict> OnUploadCompletingAsync(FtpUploadCompletingEvent e, CancellationToken cancellationToken)
        {
            await using var content = await e.OpenReadAsync(cancellationToken);
            using var reader = new StreamReader(content);
            var text = await reader.ReadToEndAsync(cancellationToken);
            _lines.Enqueue($"completing {e.Path} {e.Bytes} {text}");
            return text.StartsWith("MZ", StringComparison.Ordinal) ? FtpUploadVerdict.Refuse("executables are not accepted") : FtpUploadVerdict.Accept;
        }

        public override async ValueTask OnTransferCompletedAsync(FtpTransferCompletedEvent e, CancellationToken cancellationToken)
        {
            if (!e.IsComplete)
            {
                _lines.Enqueue($"upload {e.Path} ended early: {e.Failure}");
                return;
            }

            await using var file = await e.FileSystem.OpenReadAsync(e.Path, 0, cancellationToken);
            using var reader = new StreamReader(file);
            _lines.Enqueue($"received {e.Path} {e.Bytes} bytes: {await reader.ReadToEndAsync(cancellationToken)}");
        }

        public override ValueTask OnFileDeletedAsync(FtpPathEvent e, CancellationToken cancellationToken)
        {
            _lines.Enqueue($"deleted {e.Path}");
            return ValueTask.CompletedTask;
        }

        public override ValueTask OnSessionEndedAsync(FtpSessionEndedEvent e, CancellationToken cancellationToken)
        {
            _lines.Enqueue($"ended {e.Account?.Name}");
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>Fails on every event.</summary>
    private sealed class Throwing : FtpServerEvents
    {
        public override ValueTask OnLoginSucceededAsync(FtpLoginSucceededEvent e, CancellationToken cancellationToken) => throw new InvalidOperationException("login handler broke");

        public override ValueTask<FtpUploadVerdict> OnUploadCompletingAsync(FtpUploadCompletingEvent e, CancellationToken cancellationToken) =>
            e.Path.EndsWith(".me", StringComparison.Ordinal) ? throw new InvalidOperationException("scanner broke") : ValueTask.FromResult(FtpUploadVerdict.Accept);

        public override ValueTask OnTransferCompletedAsync(FtpTransferCompletedEvent e, CancellationToken cancellationToken) => throw new InvalidOperationException("transfer handler broke");

        public override ValueTask OnDirectoryCreatedAsync(FtpPathEvent e, CancellationToken cancellationToken) => throw new InvalidOperationException("mkdir handler broke");
    }

    /// <summary>Runs a few lines of Python with <c>ftp</c>, an ftplib.FTP logged in to the server; its output lines.</summary>
    private static class FtpLib
    {
        public static async Task<string[]> RunAsync(IPEndPoint server, string user, string password, string body)
        {
            var script = $"""
                import ftplib
                ftp = ftplib.FTP()
                ftp.connect('{server.Address}', {server.Port}, timeout=10)
                ftp.login('{user}', '{password}')
                {body.Replace("\n", "\n", StringComparison.Ordinal)}
                ftp.quit()
                """;
            using var process = Process.Start(new ProcessStartInfo("python3", ["-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
            var stderr = process.StandardError.ReadToEndAsync(cts.Token);
            await process.WaitForExitAsync(cts.Token);
            Assert.True(process.ExitCode == 0, await stderr);
            return (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }
    }
}
