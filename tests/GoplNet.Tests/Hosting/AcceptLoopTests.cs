using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using GoplNet.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace GoplNet.Tests.Hosting;

/// <summary>The accept loop the servers share (GoplNet.Hosting), over real loopback sockets.</summary>
public sealed class AcceptLoopTests
{
    private static readonly IPEndPoint AnyLoopbackPort = new(IPAddress.Loopback, 0);

    [Fact]
    public async Task Start_binds_a_free_port_hands_over_each_connection_and_stop_ends_the_thread()
    {
        var accepted = new BlockingCollection<Socket>();
        var loop = new AcceptLoop(new AcceptLoopOptions { Backlog = 8 }, (socket, _) =>
        {
            accepted.Add(socket, CancellationToken.None);
            return default;
        }, TimeProvider.System);
        Assert.Equal(AcceptLoopState.Created, loop.State);

        loop.Start(AnyLoopbackPort);
        Assert.Equal(AcceptLoopState.Running, loop.State);
        Assert.NotEqual(0, loop.LocalEndPoint.Port);
        using (var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await client.ConnectAsync(loop.LocalEndPoint).WaitAsync(LineSocket.Timeout);
            Assert.True(accepted.TryTake(out var served, LineSocket.Timeout));
            Assert.Equal(client.LocalEndPoint, served.RemoteEndPoint);
            served.Dispose();
        }

        await loop.StopAsync(CancellationToken.None).WaitAsync(LineSocket.Timeout);
        Assert.Equal(AcceptLoopState.Stopped, loop.State);
        Assert.True(loop.Completion.IsCompletedSuccessfully);
        Assert.Throws<InvalidOperationException>(() => loop.Start(AnyLoopbackPort));
        await loop.DisposeAsync();
    }

    [Fact]
    public async Task Transient_accept_failures_back_off_doubling_and_accepting_resumes()
    {
        var time = new FakeTimeProvider();
        var failuresLeft = 3;
        var failures = new BlockingCollection<(SocketError Error, TimeSpan Retry)>();
        var accepted = new BlockingCollection<Socket>();
        await using var loop = new AcceptLoop(
            new AcceptLoopOptions
            {
                FirstRetryDelay = TimeSpan.FromMilliseconds(10),
                MaxRetryDelay = TimeSpan.FromMilliseconds(25),
                OnAcceptFailed = (error, retry) => failures.Add((error, retry)),
                Accept = listener =>
                {
                    // The connection waits in the backlog while accept(2) reports the process out of descriptors.
                    var socket = listener.Accept();
                    if (Interlocked.Decrement(ref failuresLeft) >= 0)
                    {
                        socket.Dispose();
                        throw new SocketException((int)SocketError.TooManyOpenSockets);
                    }

                    return socket;
                },
            },
            (socket, _) =>
            {
                accepted.Add(socket, CancellationToken.None);
                return default;
            },
            time);
        loop.Start(AnyLoopbackPort);

        var expectedRetries = new[] { 10, 20, 25 };
        var clients = new List<Socket>();
        foreach (var retry in expectedRetries)
        {
            var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            clients.Add(client);
            await client.ConnectAsync(loop.LocalEndPoint).WaitAsync(LineSocket.Timeout);
            Assert.True(failures.TryTake(out var failure, LineSocket.Timeout));
            Assert.Equal(SocketError.TooManyOpenSockets, failure.Error);
            Assert.Equal(TimeSpan.FromMilliseconds(retry), failure.Retry);

            // Nothing is accepted until the backoff has passed on the loop's clock.
            Assert.Empty(accepted);
            time.Advance(failure.Retry);
        }

        using var last = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await last.ConnectAsync(loop.LocalEndPoint).WaitAsync(LineSocket.Timeout);
        Assert.True(accepted.TryTake(out var served, LineSocket.Timeout));
        Assert.Equal(last.LocalEndPoint, served.RemoteEndPoint);
        served.Dispose();
        clients.ForEach(c => c.Dispose());
    }

    [Fact]
    public async Task The_handlers_task_holds_the_next_accept_and_stop_ends_the_wait()
    {
        var release = new TaskCompletionSource();
        var accepted = new BlockingCollection<Socket>();
        var loop = new AcceptLoop(new AcceptLoopOptions(), (socket, _) =>
        {
            accepted.Add(socket, CancellationToken.None);
            return new ValueTask(release.Task);
        }, TimeProvider.System);
        loop.Start(AnyLoopbackPort);
        using var first = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var second = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await first.ConnectAsync(loop.LocalEndPoint).WaitAsync(LineSocket.Timeout);
        Assert.True(accepted.TryTake(out var one, LineSocket.Timeout));

        // Connected (the kernel completed the handshake) but not accepted: the loop waits for the handler.
        await second.ConnectAsync(loop.LocalEndPoint).WaitAsync(LineSocket.Timeout);
        Assert.False(accepted.TryTake(out _, TimeSpan.FromMilliseconds(200)));

        await loop.DisposeAsync().AsTask().WaitAsync(LineSocket.Timeout);
        Assert.Equal(AcceptLoopState.Stopped, loop.State);
        one!.Dispose();
    }

    [Fact]
    public async Task A_handler_that_throws_closes_that_connection_and_accepting_goes_on()
    {
        var failures = new BlockingCollection<Exception>();
        var calls = 0;
        await using var loop = new AcceptLoop(
            new AcceptLoopOptions { OnHandlerFailed = e => failures.Add(e, CancellationToken.None) },
            (socket, _) =>
            {
                if (Interlocked.Increment(ref calls) == 1)
                {
                    throw new InvalidOperationException("a bug in serving one connection");
                }

                socket.Send("ok\n"u8);
                socket.Dispose();
                return default;
            },
            TimeProvider.System);
        loop.Start(AnyLoopbackPort);

        await using (var first = await LineSocket.ConnectAsync(loop.LocalEndPoint))
        {
            Assert.Null(await first.ReadLineAsync());
        }

        Assert.True(failures.TryTake(out var failure, LineSocket.Timeout));
        Assert.IsType<InvalidOperationException>(failure);
        await using var second = await LineSocket.ConnectAsync(loop.LocalEndPoint);
        Assert.Equal("ok", await second.ReadLineAsync());
    }

    [Fact]
    public async Task A_port_in_use_throws_and_leaves_the_loop_stopped()
    {
        await using var first = new AcceptLoop(new AcceptLoopOptions(), (s, _) => { s.Dispose(); return default; }, TimeProvider.System);
        first.Start(AnyLoopbackPort);
        await using var second = new AcceptLoop(new AcceptLoopOptions(), (s, _) => { s.Dispose(); return default; }, TimeProvider.System);

        var error = Assert.Throws<SocketException>(() => second.Start(first.LocalEndPoint));
        Assert.Equal(SocketError.AddressAlreadyInUse, error.SocketErrorCode);
        Assert.Equal(AcceptLoopState.Stopped, second.State);
        Assert.True(second.Completion.IsCompleted);
    }
}
