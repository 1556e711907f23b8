using System.Net;
using GoplNet.Ftp;
using GoplNet.Ftp.Authentication;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GoplNet.Tests.Ftp;

/// <summary>
/// An <see cref="FtpServer"/> on a loopback port for tests, serving a fresh directory
/// (<see cref="Root"/>) that sits in a fresh parent beside a directory the server must never reach
/// (<see cref="Outside"/>). An account alice/secret can write; anonymous reads.
/// </summary>
internal sealed class FtpTestServer : IAsyncDisposable
{
    private readonly string _parent;

    private FtpTestServer(string parent, FtpServer server, FtpServerOptions options, TimeProvider time)
    {
        _parent = parent;
        Server = server;
        Options = options;
        Time = time;
    }

    public FtpServer Server { get; }

    public FtpServerOptions Options { get; }

    public TimeProvider Time { get; }

    public FakeTimeProvider Fake => (FakeTimeProvider)Time;

    public IPEndPoint EndPoint => Server.LocalEndPoint;

    public string Root => Options.Root;

    public string Outside => Path.Combine(_parent, "outside");

    /// <summary>A fake clock for timeout tests, at a fixed instant.</summary>
    public static FakeTimeProvider NewFakeTime() => new(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));

    public static async Task<FtpTestServer> StartAsync(Action<FtpServerOptions>? configure = null, TimeProvider? time = null)
    {
        var parent = Directory.CreateTempSubdirectory("goplnet-ftp-test-").FullName;
        var root = Directory.CreateDirectory(Path.Combine(parent, "root")).FullName;
        Directory.CreateDirectory(Path.Combine(parent, "outside"));
        await File.WriteAllTextAsync(Path.Combine(parent, "outside", "secret.txt"), "outside the root\n");
        var options = new FtpServerOptions { Root = root, Port = 0, AllowAnonymous = true, LoginFailureDelay = TimeSpan.Zero };
        options.Users.Add(FtpUser.WithPassword("alice", "secret"));
        configure?.Invoke(options);
        time ??= TimeProvider.System;
        var server = new FtpServer(Microsoft.Extensions.Options.Options.Create(options), time, NullLogger<FtpServer>.Instance);
        await server.StartAsync(CancellationToken.None);
        return new FtpTestServer(parent, server, options, time);
    }

    /// <summary>Advances fake time in small steps until <paramref name="task"/> completes; the fake time that took.</summary>
    public async Task<TimeSpan> AdvanceUntilAsync(Task task, TimeSpan step, TimeSpan limit)
    {
        var start = Fake.GetUtcNow();
        while (!task.IsCompleted && Fake.GetUtcNow() - start <= limit)
        {
            Fake.Advance(step);
            await Task.WhenAny(task, Task.Delay(20));
        }

        Assert.True(task.IsCompleted, $"nothing happened within {limit} of fake time");
        await task;
        return Fake.GetUtcNow() - start;
    }

    /// <summary>Waits (real time, bounded) until <paramref name="condition"/> holds.</summary>
    public static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + FtpTestClient.Timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}");
            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(_parent, recursive: true);
    }
}
