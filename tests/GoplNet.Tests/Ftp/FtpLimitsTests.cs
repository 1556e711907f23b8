using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GoplNet.Tests.Ftp;

/// <summary>Limits and bad input: each is answered, closes at most the session that caused it, and the server serves everyone else.</summary>
public sealed class FtpLimitsTests
{
    private static readonly IPAddress Second = IPAddress.Parse("127.0.0.2");

    [Fact]
    public async Task Thirty_sessions_from_one_address_logging_in_at_once_with_the_right_password_all_get_in()
    {
        // A sync tool opening its connections at once: the per-address bound on password checks
        // (four waiting) is for guesses, and the same password sent together is checked once.
        await using var server = await FtpTestServer.StartAsync();

        var clients = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => FtpTestClient.LoginAsync(server.EndPoint, "alice", "secret")));

        foreach (var client in clients)
        {
            await client.ExpectAsync("PWD", 257);
            await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task Sessions_past_the_per_address_limit_get_421_while_other_addresses_are_served()
    {
        await using var server = await FtpTestServer.StartAsync(o => o.MaxSessionsPerAddress = 2);
        await using var first = await FtpTestClient.LoginAsync(server.EndPoint);
        await using var second = await FtpTestClient.LoginAsync(server.EndPoint);

        await using (var third = await FtpTestClient.ConnectAsync(server.EndPoint))
        {
            Assert.Equal(421, (await third.ReadAsync()).Code);
            Assert.True(await third.ClosedAsync());
        }

        await using (var other = await FtpTestClient.ConnectAsync(server.EndPoint, Second))
        {
            Assert.Equal(220, (await other.ReadAsync()).Code);
        }

        await first.ExpectAsync("QUIT", 221);
        await FtpTestServer.EventuallyAsync(() => server.Server.SessionCount <= 1, "the first session has ended");
        await using var again = await FtpTestClient.LoginAsync(server.EndPoint);
        await second.ExpectAsync("NOOP", 200);
    }

    [Fact]
    public async Task Sessions_past_the_total_limit_get_421()
    {
        await using var server = await FtpTestServer.StartAsync(o => o.MaxSessions = 1);
        await using var first = await FtpTestClient.LoginAsync(server.EndPoint);

        await using var refused = await FtpTestClient.ConnectAsync(server.EndPoint, Second);
        Assert.Equal(421, (await refused.ReadAsync()).Code);
        Assert.True(await refused.ClosedAsync());
        await first.ExpectAsync("NOOP", 200);
    }

    [Fact]
    public async Task Failed_logins_are_delayed_and_the_third_closes_the_session()
    {
        var time = FtpTestServer.NewFakeTime();
        await using var server = await FtpTestServer.StartAsync(o => o.LoginFailureDelay = TimeSpan.FromSeconds(1), time);
        await using var client = await FtpTestClient.ConnectAsync(server.EndPoint);
        Assert.Equal(220, (await client.ReadAsync()).Code);

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            await client.ExpectAsync("USER alice", 331);
            await client.SendAsync("PASS wrong");
            var reply = client.ReadAsync();
            var waited = await server.AdvanceUntilAsync(reply, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30));
            Assert.True(waited >= TimeSpan.FromSeconds(1), $"attempt {attempt} answered after {waited} of fake time");
            Assert.Equal(attempt < 3 ? 530 : 421, (await reply).Code);
        }

        Assert.True(await client.ClosedAsync());
        await using var next = await FtpTestClient.LoginAsync(server.EndPoint, "alice", "secret");
    }

    [Fact]
    public async Task Unknown_commands_before_login_are_bounded_but_not_after()
    {
        await using var server = await FtpTestServer.StartAsync(o => o.MaxRefusedCommandsBeforeLogin = 5);
        await using (var client = await FtpTestClient.ConnectAsync(server.EndPoint))
        {
            Assert.Equal(220, (await client.ReadAsync()).Code);
            for (var i = 0; i < 5; i++)
            {
                Assert.Equal(i % 2 == 0 ? 500 : 530, (await client.CommandAsync(i % 2 == 0 ? "BOGUS" : "LIST")).Code);
            }

            Assert.Equal(421, (await client.CommandAsync("BOGUS")).Code);
            Assert.True(await client.ClosedAsync());
        }

        await using var user = await FtpTestClient.LoginAsync(server.EndPoint);
        for (var i = 0; i < 10; i++)
        {
            await user.ExpectAsync("BOGUS", 500);
        }

        await user.ExpectAsync("NOOP", 200);
    }

    [Fact]
    public async Task Invalid_UTF8_is_answered_501_and_the_session_goes_on()
    {
        await using var server = await FtpTestServer.StartAsync();
        await using var client = await FtpTestClient.LoginAsync(server.EndPoint);

        await client.SendRawAsync([.. "CWD "u8, 0xC3, 0x28, 0xFF, 0x80, .. "\r\n"u8]);
        Assert.Equal(501, (await client.ReadAsync()).Code);
        await client.ExpectAsync("PWD", 257);
    }

    [Fact]
    public async Task A_100_KB_line_is_refused_without_hurting_other_sessions()
    {
        await using var server = await FtpTestServer.StartAsync();
        await using var bystander = await FtpTestClient.LoginAsync(server.EndPoint);
        await using var client = await FtpTestClient.ConnectAsync(server.EndPoint);
        Assert.Equal(220, (await client.ReadAsync()).Code);

        var line = Encoding.ASCII.GetBytes("USER " + new string('a', 100_000) + "\r\n");
        try
        {
            await client.SendRawAsync(line);
        }
        catch (IOException)
        {
            // The server may close before it has read everything.
        }

        Assert.Equal(500, (await client.ReadAsync()).Code);
        Assert.True(await client.ClosedAsync());
        await bystander.ExpectAsync("NOOP", 200);
    }

    [Fact]
    public async Task An_idle_control_connection_is_closed_with_421()
    {
        var time = FtpTestServer.NewFakeTime();
        await using var server = await FtpTestServer.StartAsync(o => o.IdleTimeout = TimeSpan.FromMinutes(5), time);
        await using var client = await FtpTestClient.LoginAsync(server.EndPoint);

        var reply = client.ReadAsync();
        var waited = await server.AdvanceUntilAsync(reply, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(6));

        Assert.Equal(421, (await reply).Code);
        Assert.InRange(waited, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(6));
        Assert.True(await client.ClosedAsync());
    }

    [Fact]
    public async Task A_passive_port_nobody_connects_to_times_out_with_425()
    {
        var time = FtpTestServer.NewFakeTime();
        await using var server = await FtpTestServer.StartAsync(o => o.DataConnectionTimeout = TimeSpan.FromSeconds(30), time);
        await File.WriteAllTextAsync(Path.Combine(server.Root, "a.txt"), "a");
        await using var client = await FtpTestClient.LoginAsync(server.EndPoint);

        await client.ExpectAsync("EPSV", 229);
        await client.ExpectAsync("RETR a.txt", 150);
        var reply = client.ReadAsync();
        var waited = await server.AdvanceUntilAsync(reply, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(40));

        Assert.Equal(425, (await reply).Code);
        Assert.True(waited >= TimeSpan.FromSeconds(30));
        await client.ExpectAsync("NOOP", 200);
    }

    [Fact]
    public async Task A_stalled_upload_is_cut_with_426_and_leaves_the_old_file()
    {
        var time = FtpTestServer.NewFakeTime();
        await using var server = await FtpTestServer.StartAsync(o => (o.StalledTransferTimeout, o.IdleTimeout) = (TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(30)), time);
        await File.WriteAllTextAsync(Path.Combine(server.Root, "keep.txt"), "old");
        await using var client = await FtpTestClient.LoginAsync(server.EndPoint, "alice", "secret");

        using var data = await client.PassiveAsync();
        await client.ExpectAsync("STOR keep.txt", 150);
        await data.SendAsync("partial"u8.ToArray());
        var reply = client.ReadAsync();
        var waited = await server.AdvanceUntilAsync(reply, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(2));

        Assert.Equal(426, (await reply).Code);
        Assert.True(waited >= TimeSpan.FromMinutes(1), $"cut after {waited}: the 30 s idle timeout must not apply during a transfer");
        Assert.Equal("old", await File.ReadAllTextAsync(Path.Combine(server.Root, "keep.txt")));
        Assert.Equal(["keep.txt"], Directory.GetFiles(server.Root).Select(Path.GetFileName));
        await client.ExpectAsync("NOOP", 200);
    }

    [Theory]
    [InlineData("PORT 127,0,0,2,200,10")]
    [InlineData("PORT 10,0,0,1,200,10")]
    [InlineData("PORT 127,0,0,1,0,80")]
    [InlineData("PORT 127,0,0,1,3,255")]
    [InlineData("EPRT |1|127.0.0.2|51210|")]
    [InlineData("EPRT |1|127.0.0.1|22|")]
    [InlineData("EPRT |2|::1|51210|")]
    public async Task Active_mode_connects_only_to_the_client_on_an_unprivileged_port(string command)
    {
        await using var server = await FtpTestServer.StartAsync();
        await using var client = await FtpTestClient.LoginAsync(server.EndPoint);

        Assert.Equal(500, (await client.CommandAsync(command)).Code);
        Assert.Equal(425, (await client.CommandAsync("LIST")).Code);
    }

    [Fact]
    public async Task Active_mode_to_the_client_itself_works()
    {
        await using var server = await FtpTestServer.StartAsync();
        await File.WriteAllTextAsync(Path.Combine(server.Root, "a.txt"), "active");
        await using var client = await FtpTestClient.LoginAsync(server.EndPoint);
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;

        await client.ExpectAsync($"EPRT |1|127.0.0.1|{port}|", 200);
        await client.ExpectAsync("RETR a.txt", 150);
        using var cts = new CancellationTokenSource(FtpTestClient.Timeout);
        using var data = await listener.AcceptAsync(cts.Token);
        var buffer = new byte[64];
        var read = await data.ReceiveAsync(buffer, cts.Token);

        Assert.Equal("active", Encoding.ASCII.GetString(buffer, 0, read));
        Assert.Equal(226, (await client.ReadAsync()).Code);
    }

    [Fact]
    public async Task A_passive_port_accepts_only_the_control_connections_address()
    {
        await using var server = await FtpTestServer.StartAsync();
        await File.WriteAllTextAsync(Path.Combine(server.Root, "a.txt"), "mine");
        await using var client = await FtpTestClient.LoginAsync(server.EndPoint);

        // A connection from another address is dropped; the client's own connection still gets the file.
        using var intruder = await client.PassiveAsync(Second);
        var port = ((IPEndPoint)intruder.RemoteEndPoint!).Port;
        await client.ExpectAsync("RETR a.txt", 150);
        var buffer = new byte[64];
        using var cts = new CancellationTokenSource(FtpTestClient.Timeout);
        Assert.Equal(0, await ReceiveOrResetAsync(intruder, buffer, cts.Token));

        using var own = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await own.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cts.Token);
        var read = await own.ReceiveAsync(buffer, cts.Token);
        Assert.Equal("mine", Encoding.ASCII.GetString(buffer, 0, read));
        Assert.Equal(226, (await client.ReadAsync()).Code);
    }

    [Fact]
    public async Task EPSV_and_EPRT_work_over_IPv6()
    {
        await using var server = await FtpTestServer.StartAsync(o => o.Host = "::1");
        await File.WriteAllTextAsync(Path.Combine(server.Root, "six.txt"), "over IPv6");
        await using var client = await FtpTestClient.LoginAsync(server.EndPoint);

        var (data, reply) = await client.DownloadAsync("RETR six.txt");
        Assert.Equal(226, reply.Code);
        Assert.Equal("over IPv6", Encoding.ASCII.GetString(data));
        Assert.Equal(425, (await client.CommandAsync("PASV")).Code);

        using var listener = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
        listener.Listen();
        await client.ExpectAsync($"EPRT |2|::1|{((IPEndPoint)listener.LocalEndPoint!).Port}|", 200);
        await client.ExpectAsync("RETR six.txt", 150);
        using var cts = new CancellationTokenSource(FtpTestClient.Timeout);
        using var active = await listener.AcceptAsync(cts.Token);
        var buffer = new byte[64];
        Assert.Equal("over IPv6", Encoding.ASCII.GetString(buffer, 0, await active.ReceiveAsync(buffer, cts.Token)));
        Assert.Equal(226, (await client.ReadAsync()).Code);
    }

    private static async Task<int> ReceiveOrResetAsync(Socket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            return await socket.ReceiveAsync(buffer, cancellationToken);
        }
        catch (SocketException)
        {
            return 0;
        }
    }
}
