using System.Text;

namespace GoplNet.Net;

/// <summary>Settings of a <see cref="LineClient"/>.</summary>
public sealed class LineClientOptions
{
    /// <summary>How long a connection attempt may take. Default 10 seconds.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The longest line accepted, in bytes, newline excluded. Default 65,536. A server that sends
    /// more without a newline is cut off (the read fails with <see cref="InvalidDataException"/>),
    /// so it cannot make the client buffer without bound.
    /// </summary>
    public int MaxLineLength { get; set; } = 64 * 1024;

    /// <summary>The text encoding of lines. Default UTF-8 (invalid bytes read as U+FFFD).</summary>
    public Encoding Encoding { get; set; } = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The first wait before reconnecting in <see cref="LineClient.WatchAsync"/>. Default one second.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between reconnection attempts; each failure doubles the wait up to it. Default 30 seconds.</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The random share of each wait, from 0 to 1, so that many clients of one server do not
    /// reconnect in step. Default 0.2 (a wait of 10 s becomes 8 to 12 s).
    /// </summary>
    public double ReconnectJitter { get; set; } = 0.2;
}
