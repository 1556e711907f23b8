using System.Collections.Concurrent;
using GoplNet.Net;
using Microsoft.Extensions.Logging;

namespace GoplNet.Tests.Net;

public sealed class LineClientLoggingTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Each_connections_messages_are_logged_inside_its_own_scope()
    {
        using var listener = Loopback.Listen(out var port);
        var serving = Task.Run(async () =>
        {
            for (var i = 0; i < 2; i++)
            {
                using var peer = await listener.AcceptAsync();
            }
        });
        var logger = new ScopeRecordingLogger();
        var address = new HostPort("127.0.0.1", port);

        await using (var first = new LineClient(address, logger: logger))
        {
            await first.ConnectAsync(new CancellationTokenSource(Timeout).Token);
        }

        await using (var second = new LineClient(address, logger: logger))
        {
            await second.ConnectAsync(new CancellationTokenSource(Timeout).Token);
        }

        await serving.WaitAsync(Timeout);

        var entries = logger.Entries.ToList();
        Assert.Equal([1100, 1101, 1100, 1101], entries.Select(e => e.EventId));
        Assert.All(entries, e => Assert.Equal(address, e.Scope["ServerAddress"]));
        var ids = entries.Select(e => (long)e.Scope["ConnectionId"]!).ToList();
        Assert.Equal(ids[0], ids[1]);
        Assert.Equal(ids[2], ids[3]);
        Assert.NotEqual(ids[0], ids[2]);
    }

    private sealed record Entry(int EventId, IReadOnlyDictionary<string, object?> Scope);

    private sealed class ScopeRecordingLogger : ILogger<LineClient>
    {
        private readonly AsyncLocal<IReadOnlyList<KeyValuePair<string, object?>>?> _scope = new();

        public ConcurrentQueue<Entry> Entries { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            var outer = _scope.Value;
            _scope.Value = state as IReadOnlyList<KeyValuePair<string, object?>>;
            return new Restore(() => _scope.Value = outer);
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Enqueue(new Entry(eventId.Id, (_scope.Value ?? []).ToDictionary(p => p.Key, p => p.Value)));

        private sealed class Restore(Action restore) : IDisposable
        {
            public void Dispose() => restore();
        }
    }
}
