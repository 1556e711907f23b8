using Microsoft.Extensions.Logging;

namespace GoplNet.Net;

/// <summary>The line client's log messages; event ids 1100-1199 are the line client's.</summary>
internal static partial class LineClientLog
{
    [LoggerMessage(EventId = 1100, EventName = "LineClientConnected", Level = LogLevel.Debug, Message = "Connected to {Address} ({RemoteEndPoint})")]
    public static partial void Connected(ILogger logger, HostPort address, System.Net.EndPoint? remoteEndPoint);

    [LoggerMessage(EventId = 1101, EventName = "LineClientDisconnected", Level = LogLevel.Debug, Message = "Connection to {Address} ended: {Reason}")]
    public static partial void Disconnected(ILogger logger, string address, string reason);

    [LoggerMessage(EventId = 1102, EventName = "LineClientRetrying", Level = LogLevel.Debug, Message = "Reconnecting to {Address} in {DelayMilliseconds} ms")]
    public static partial void Retrying(ILogger logger, string address, long delayMilliseconds);
}
