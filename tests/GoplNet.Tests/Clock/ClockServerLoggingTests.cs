using System.Collections.Concurrent;
using System.Net;
using GoplNet.Clock;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace GoplNet.Tests.Clock;

public sealed class ClockServerLoggingTests
{
    [Fact]
    public async Task A_clients_messages_are_written_inside_its_scope_of_client_id_and_remote_address()
    {
        var logger = new RecordingLogger();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 10, 0, 0, 50, TimeSpan.Zero));
        await using var server = new ClockServer(Options.Create(new ClockServerOptions { Port = 0, TimeZone = TimeZoneInfo.Utc }), time, logger);
        await server.StartAsync(CancellationToken.None);
        var client = await LineSocket.ConnectAsync(server.LocalEndPoint);
        Assert.Equal("10:00:00", await client.ReadLineAsync());
        var address = client.Socket.LocalEndPoint!.ToString();

        var connected = await logger.WaitForAsync(1002);
        Assert.Equal("Client connected (1 clients)", connected.Message);
        Assert.Equal(1L, connected.Scope["ClientId"]);
        Assert.Equal(address, connected.Scope["RemoteEndPoint"]?.ToString());

        // The server learns of the close from a failed write: a tick or two later.
        await client.DisposeAsync();
        for (var second = 0; second < 5 && server.ClientCount > 0; second++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await ClockServerTests.WaitUntilAsync(() => server.ClientCount == 0, TimeSpan.FromMilliseconds(200), throwOnTimeout: false);
        }

        var disconnected = await logger.WaitForAsync(1003);
        Assert.StartsWith("Client disconnected: ", disconnected.Message, StringComparison.Ordinal);
        Assert.Equal(1L, disconnected.Scope["ClientId"]);
        Assert.Equal(address, disconnected.Scope["RemoteEndPoint"]?.ToString());

        // Server-wide messages carry no client scope.
        Assert.Empty((await logger.WaitForAsync(1000)).Scope);
    }

    private sealed record Entry(int EventId, string Message, IReadOnlyDictionary<string, object?> Scope);

    /// <summary>Records each message with the scope values open around it (scopes flow with the async context, as in the real providers).</summary>
    private sealed class RecordingLogger : ILogger<ClockServer>
    {
        private readonly AsyncLocal<Dictionary<string, object?>?> _scope = new();
        private readonly ConcurrentQueue<Entry> _entries = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            var outer = _scope.Value;
            var inner = new Dictionary<string, object?>(outer ?? []);
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values)
                {
                    inner[key] = value;
                }
            }

            _scope.Value = inner;
            return new Restore(() => _scope.Value = outer);
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _entries.Enqueue(new Entry(eventId.Id, formatter(state, exception), _scope.Value is { } scope ? new Dictionary<string, object?>(scope) : []));

        public async Task<Entry> WaitForAsync(int eventId)
        {
            await ClockServerTests.WaitUntilAsync(() => _entries.Any(e => e.EventId == eventId), LineSocket.Timeout);
            return _entries.First(e => e.EventId == eventId);
        }

        private sealed class Restore(Action restore) : IDisposable
        {
            public void Dispose() => restore();
        }
    }
}
