using System.Net.Sockets;
using GoplNet.Net;
using Microsoft.Extensions.Time.Testing;

namespace GoplNet.Tests.Net;

/// <summary>Connection failures surface as <see cref="LineClientException"/> with the reason and the server's address.</summary>
public sealed class LineClientFailureTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ConnectAsync_to_a_server_that_never_answers_times_out_on_the_clients_clock()
    {
        // A listener whose accept queue is full lets the kernel drop further connection requests
        // unanswered, the way an unreachable host behaves.
        using var listener = Loopback.Listen(out var port, backlog: 0);
        var fillers = Enumerable.Range(0, 3).Select(_ => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)).ToList();
        using var stop = new CancellationTokenSource(Timeout);
        var filling = fillers.Select(f => f.ConnectAsync(listener.LocalEndPoint!, stop.Token).AsTask()).ToList();
        try
        {
            var time = new FakeTimeProvider();
            await using var client = new LineClient(new HostPort("127.0.0.1", port), new LineClientOptions { ConnectTimeout = TimeSpan.FromSeconds(3) }, time);

            var connecting = client.ConnectAsync(stop.Token);
            time.Advance(TimeSpan.FromSeconds(3));
            var error = await Assert.ThrowsAsync<LineClientException>(() => connecting.WaitAsync(Timeout));

            Assert.Equal(LineClientFailure.TimedOut, error.Reason);
            Assert.Equal("timed out", error.Message);
            Assert.IsType<TimeoutException>(error.InnerException);
            Assert.Contains("3s", error.InnerException.Message, StringComparison.Ordinal);
        }
        finally
        {
            await stop.CancelAsync();
            fillers.ForEach(f => f.Dispose());
            await Task.WhenAll(filling.Select(c => c.ContinueWith(_ => { }, TaskScheduler.Default)));
        }
    }

    [Fact]
    public async Task ConnectAsync_to_a_name_that_does_not_resolve_says_no_such_host()
    {
        await using var client = new LineClient("nosuchhost.invalid:8000");

        var error = await Assert.ThrowsAsync<LineClientException>(() => client.ConnectAsync(CancellationToken.None).WaitAsync(Timeout));

        Assert.Equal(LineClientFailure.HostNotFound, error.Reason);
        Assert.Equal("no such host", error.Message);
        Assert.Equal(new HostPort("nosuchhost.invalid", 8000), error.Address);
    }

    [Fact]
    public async Task A_server_that_resets_the_connection_fails_the_read_with_reset()
    {
        using var listener = Loopback.Listen(out var port);
        var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var serving = Task.Run(async () =>
        {
            using var peer = await listener.AcceptAsync();
            await peer.SendAsync("one\n"u8.ToArray());

            // Only once the client has seen its connection up (a reset before would fail the connect):
            // linger with a zero timeout, so closing sends a reset instead of the orderly end.
            await connected.Task.WaitAsync(Timeout);
            peer.LingerState = new LingerOption(true, 0);
            peer.Close();
        });
        await using var client = new LineClient(new HostPort("127.0.0.1", port));
        await client.ConnectAsync(new CancellationTokenSource(Timeout).Token);
        connected.SetResult();
        await serving.WaitAsync(Timeout);

        var error = await Assert.ThrowsAsync<LineClientException>(async () =>
        {
            await foreach (var _ in client.ReadLinesAsync(new CancellationTokenSource(Timeout).Token))
            {
            }
        });

        Assert.Equal(LineClientFailure.Reset, error.Reason);
        Assert.Equal("connection reset by peer", error.Message);
    }

    [Fact]
    public async Task A_failure_of_the_destination_is_not_taken_for_a_connection_failure()
    {
        using var listener = Loopback.Listen(out var port);
        var serving = Task.Run(async () =>
        {
            using var peer = await listener.AcceptAsync();
            await peer.SendAsync("hello\n"u8.ToArray());
            peer.Shutdown(SocketShutdown.Both);
        });
        await using var client = new LineClient(new HostPort("127.0.0.1", port));
        await client.ConnectAsync(new CancellationTokenSource(Timeout).Token);

        var error = await Assert.ThrowsAnyAsync<IOException>(() => client.CopyToAsync(new BrokenStream(), new CancellationTokenSource(Timeout).Token));

        Assert.IsNotType<LineClientException>(error);
        await serving.WaitAsync(Timeout);
    }

    private sealed class BrokenStream : MemoryStream
    {
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromException(new IOException("Broken pipe"));
    }
}
