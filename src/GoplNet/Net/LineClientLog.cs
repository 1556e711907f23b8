using System.Net;
using Microsoft.Extensions.Logging;

namespace GoplNet.Net;

/// <summary>The line client's log messages; event ids 1100-1199 are the line client's.</summary>
internal static partial class LineClientLog
{
    private static readonly Func<ILogger, long, HostPort, IDisposable?> ConnectionScope =
        LoggerMessage.DefineScope<long, HostPort>("LineClient connection {ConnectionId} to {ServerAddress}");

    /// <summary>The scope of one connection's log messages: its id (unique in the process) and the server.</summary>
    public static IDisposable? BeginConnectionScope(ILogger logger, long connectionId, HostPort address) =>
        ConnectionScope(logger, connectionId, address);

    [LoggerMessage(EventId = 1100, EventName = "LineClientConnected", Level = LogLevel.Debug, Message = "Connected to {ServerAddress} ({RemoteEndPoint})")]
    public static partial void Connected(ILogger logger, HostPort serverAddress, EndPoint? remoteEndPoint);

    [LoggerMessage(EventId = 1101, EventName = "LineClientDisconnected", Level = LogLevel.Debug, Message = "Connection to {ServerAddress} ended: {Reason}")]
    public static partial void Disconnected(ILogger logger, HostPort serverAddress, string reason);

    [LoggerMessage(EventId = 1102, EventName = "LineClientRetrying", Level = LogLevel.Debug, Message = "Reconnecting to {ServerAddress} in {DelayMilliseconds} ms (attempt {Attempt})")]
    public static partial void Retrying(ILogger logger, HostPort serverAddress, long delayMilliseconds, int attempt);

    [LoggerMessage(EventId = 1103, EventName = "LineClientConnectFailed", Level = LogLevel.Debug, Message = "Cannot connect to {ServerAddress}: {Reason}")]
    public static partial void ConnectFailed(ILogger logger, HostPort serverAddress, string reason);
}
