using System.Net;
using Microsoft.Extensions.Logging;

namespace GoplNet.Clock;

/// <summary>
/// The clock server's log messages; event ids 1000-1099 are the clock server's. Messages about
/// one client are written inside its scope (<see cref="ClientScope"/>: <c>ClientId</c> and
/// <c>RemoteEndPoint</c>), as Kestrel writes a connection's messages inside its connection scope.
/// </summary>
internal static partial class ClockServerLog
{
    private static readonly Func<ILogger, long, EndPoint?, IDisposable?> ClientScopeDefinition =
        LoggerMessage.DefineScope<long, EndPoint?>("ClockClient {ClientId} {RemoteEndPoint}");

    /// <summary>The scope of one client's messages.</summary>
    public static IDisposable? ClientScope(ILogger logger, long clientId, EndPoint? remoteEndPoint) =>
        ClientScopeDefinition(logger, clientId, remoteEndPoint);

    [LoggerMessage(EventId = 1000, EventName = "ClockServerStarted", Level = LogLevel.Information,
        Message = "Clock server listening on {EndPoint} ({Mode}, every {Interval}, zone {Zone})")]
    public static partial void Started(ILogger logger, EndPoint endPoint, ClockServerMode mode, string interval, string zone);

    [LoggerMessage(EventId = 1001, EventName = "ClockServerStopped", Level = LogLevel.Information,
        Message = "Clock server on {EndPoint} stopped")]
    public static partial void Stopped(ILogger logger, EndPoint endPoint);

    [LoggerMessage(EventId = 1002, EventName = "ClockClientConnected", Level = LogLevel.Debug,
        Message = "Client connected ({Clients} clients)")]
    public static partial void ClientConnected(ILogger logger, int clients);

    [LoggerMessage(EventId = 1003, EventName = "ClockClientDisconnected", Level = LogLevel.Debug,
        Message = "Client disconnected: {Reason}")]
    public static partial void ClientDisconnected(ILogger logger, string reason);

    [LoggerMessage(EventId = 1004, EventName = "ClockSlowClientDropped", Level = LogLevel.Warning,
        Message = "Client dropped: more than {MaxUnsentBytes} bytes unsent (not reading)")]
    public static partial void SlowClientDropped(ILogger logger, int maxUnsentBytes);

    [LoggerMessage(EventId = 1005, EventName = "ClockClientRejected", Level = LogLevel.Warning,
        Message = "Client refused: {MaxClients} clients already connected")]
    public static partial void ClientRejected(ILogger logger, int maxClients);

    [LoggerMessage(EventId = 1006, EventName = "ClockAcceptFailed", Level = LogLevel.Error,
        Message = "Accepting a connection failed ({SocketError}); serving the connected clients and retrying in {RetryMilliseconds} ms")]
    public static partial void AcceptFailed(ILogger logger, string socketError, int retryMilliseconds);

    [LoggerMessage(EventId = 1008, EventName = "ClockTickFailed", Level = LogLevel.Error,
        Message = "A clock tick failed; the next tick retries")]
    public static partial void TickFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1009, EventName = "ClockAdmitFailed", Level = LogLevel.Error,
        Message = "Admitting a client failed; it was disconnected and the server goes on")]
    public static partial void AdmitFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1007, EventName = "ClockTickLate", Level = LogLevel.Debug,
        Message = "Tick for {Due:O} ran {LateMilliseconds} ms late; the line names the current interval")]
    public static partial void TickLate(ILogger logger, DateTimeOffset due, long lateMilliseconds);
}
