namespace GoplNet.Net;

/// <summary>
/// Settings of a <see cref="LineClient"/>. Every setting binds from configuration
/// (<see cref="LineClientServiceCollectionExtensions.AddLineClientFactory(Microsoft.Extensions.DependencyInjection.IServiceCollection, Microsoft.Extensions.Configuration.IConfiguration)"/>;
/// durations as <c>00:00:10</c> or in Go's syntax, <c>10s</c>) and is checked once, with one message per bad setting.
/// </summary>
public sealed class LineClientOptions
{
    /// <summary>How long a connection attempt may take, name resolution included; more than zero. Default 10 seconds.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The longest line accepted, in bytes, newline excluded; at least 1. Default 65,536. A server
    /// that sends more without a newline is cut off (the read fails with a
    /// <see cref="LineClientException"/> of reason <see cref="LineClientFailure.LineTooLong"/>),
    /// so it cannot make the client buffer without bound.
    /// </summary>
    public int MaxLineLength { get; set; } = 64 * 1024;

    /// <summary>
    /// The name of the text encoding of lines, as <see cref="System.Text.Encoding.GetEncoding(string)"/>
    /// knows it: <c>utf-8</c>, <c>latin1</c>, <c>us-ascii</c>, <c>utf-16</c>... Default <c>utf-8</c>
    /// (invalid bytes read as U+FFFD).
    /// </summary>
    public string EncodingName { get; set; } = "utf-8";

    /// <summary>The first wait before reconnecting in <see cref="LineClient.WatchAsync"/>; more than zero. Default one second.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest wait between reconnection attempts, at least <see cref="ReconnectDelay"/>; each
    /// failure doubles the wait up to it. Default 30 seconds.
    /// </summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The random share of each wait, from 0 to 1, so that many clients of one server do not
    /// reconnect in step. Default 0.2 (a wait of 10 s becomes 8 to 12 s).
    /// </summary>
    public double ReconnectJitter { get; set; } = 0.2;

    /// <summary>Settings that configuration held but that could not be read (reported by the validation, with the range checks).</summary>
    internal List<string>? BindingErrors { get; set; }
}
