using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;

namespace GoplNet.Tests.Ftp;

/// <summary>One FTP reply: its code and its lines.</summary>
internal sealed record FtpReply(int Code, string Text);

/// <summary>
/// A small FTP client for hostile tests over real loopback sockets: it sends exactly what a test
/// says (including bytes no real client sends) and times out every wait.
/// </summary>
internal sealed partial class FtpTestClient : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly Socket _socket;
    private readonly IPEndPoint _server;
    private readonly byte[] _buffer = new byte[8192];
    private readonly StringBuilder _pending = new();
    private Stream _stream;
    private X509Certificate2? _trusted;

    private FtpTestClient(Socket socket, IPEndPoint server)
    {
        _socket = socket;
        _server = server;
        _stream = new NetworkStream(socket, ownsSocket: false);
    }

    public bool ProtectData { get; set; }

    /// <summary>A client over a connection made elsewhere (through a balancer); data connections go straight to <paramref name="server"/>'s address.</summary>
    public static FtpTestClient Over(Socket socket, IPEndPoint server) => new(socket, server);

    /// <summary>Connects (from <paramref name="from"/> when given, e.g. 127.0.0.2) and reads nothing yet.</summary>
    public static async Task<FtpTestClient> ConnectAsync(IPEndPoint server, IPAddress? from = null)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (from is not null)
        {
            socket.Bind(new IPEndPoint(from, 0));
        }

        using var cts = new CancellationTokenSource(Timeout);
        await socket.ConnectAsync(server, cts.Token);
        return new FtpTestClient(socket, server);
    }

    /// <summary>Connects, reads the greeting (220 expected), logs in (230 expected) and switches to binary.</summary>
    public static async Task<FtpTestClient> LoginAsync(IPEndPoint server, string user = "anonymous", string password = "guest")
    {
        var client = await ConnectAsync(server);
        Assert.Equal(220, (await client.ReadAsync()).Code);
        await client.ExpectAsync($"USER {user}", 331);
        await client.ExpectAsync($"PASS {password}", 230);
        await client.ExpectAsync("TYPE I", 200);
        return client;
    }

    /// <summary>The next reply; a multi-line reply is read to its last line.</summary>
    public async Task<FtpReply> ReadAsync()
    {
        using var cts = new CancellationTokenSource(Timeout);
        while (true)
        {
            var text = _pending.ToString();
            var match = Complete().Match(text);
            if (match.Success)
            {
                _pending.Remove(0, match.Length);
                return new FtpReply(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), match.Value.TrimEnd());
            }

            var read = await _stream.ReadAsync(_buffer, cts.Token);
            if (read == 0)
            {
                throw new EndOfStreamException($"The server closed the connection; unread: '{text}'");
            }

            _pending.Append(Encoding.UTF8.GetString(_buffer, 0, read));
        }
    }

    /// <summary>Whether the server closes the connection (after any replies still unread), within the time limit.</summary>
    public async Task<bool> ClosedAsync()
    {
        using var cts = new CancellationTokenSource(Timeout);
        try
        {
            while (await _stream.ReadAsync(_buffer, cts.Token) > 0)
            {
                // Drain what comes before the close.
            }

            return true;
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async Task SendAsync(string line) => await SendRawAsync(Encoding.UTF8.GetBytes(line + "\r\n"));

    public async Task SendRawAsync(byte[] bytes)
    {
        using var cts = new CancellationTokenSource(Timeout);
        await _stream.WriteAsync(bytes, cts.Token);
    }

    public async Task<FtpReply> CommandAsync(string line)
    {
        await SendAsync(line);
        return await ReadAsync();
    }

    public async Task<FtpReply> ExpectAsync(string line, int code)
    {
        var reply = await CommandAsync(line);
        Assert.True(reply.Code == code, $"{line} -> {reply.Text} (expected {code})");
        return reply;
    }

    /// <summary>AUTH TLS and the handshake, trusting exactly <paramref name="certificate"/>.</summary>
    public async Task UpgradeAsync(X509Certificate2 certificate)
    {
        await ExpectAsync("AUTH TLS", 234);
        _trusted = certificate;
        var tls = new SslStream(_stream, leaveInnerStreamOpen: false, Validate);
        using var cts = new CancellationTokenSource(Timeout);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" }, cts.Token);
        _stream = tls;
    }

    /// <summary>A TLS handshake that accepts any certificate (after AUTH TLS's 234); the subject the server presented.</summary>
    public async Task<string> PresentedSubjectAsync()
    {
        // The test looks at which certificate the server presents, whatever it is.
        var tls = new SslStream(_stream, leaveInnerStreamOpen: false, (_, certificate, _, _) => certificate is not null);
        using var cts = new CancellationTokenSource(Timeout);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" }, cts.Token);
        _stream = tls;
        return tls.RemoteCertificate!.Subject;
    }

    /// <summary>EPSV, then a connected data socket (from <paramref name="from"/> when given, with a fixed receive buffer when one is given).</summary>
    public async Task<Socket> PassiveAsync(IPAddress? from = null, int? receiveBufferSize = null)
    {
        var reply = await ExpectAsync("EPSV", 229);
        var port = int.Parse(EpsvPort().Match(reply.Text).Groups[1].Value, CultureInfo.InvariantCulture);
        var data = new Socket(_server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (receiveBufferSize is { } bytes)
        {
            data.ReceiveBufferSize = bytes;
        }

        if (from is not null)
        {
            data.Bind(new IPEndPoint(from, 0));
        }

        using var cts = new CancellationTokenSource(Timeout);
        await data.ConnectAsync(new IPEndPoint(_server.Address, port), cts.Token);
        return data;
    }

    /// <summary>A transfer to this client (RETR, LIST, ...): its bytes and the final reply.</summary>
    public async Task<(byte[] Data, FtpReply Reply)> DownloadAsync(string command)
    {
        using var socket = await PassiveAsync();
        var opening = await CommandAsync(command);
        if (opening.Code != 150)
        {
            return ([], opening);
        }

        await using var data = await DataStreamAsync(socket);
        using var received = new MemoryStream();
        using var cts = new CancellationTokenSource(Timeout);
        await data.CopyToAsync(received, cts.Token);
        return (received.ToArray(), await ReadAsync());
    }

    /// <summary>A transfer from this client (STOR, APPE, ...): the final reply (or the refusal).</summary>
    public async Task<FtpReply> UploadAsync(string command, byte[] bytes)
    {
        using var socket = await PassiveAsync();
        var opening = await CommandAsync(command);
        if (opening.Code != 150)
        {
            return opening;
        }

        await using (var data = await DataStreamAsync(socket))
        {
            using var cts = new CancellationTokenSource(Timeout);
            try
            {
                await data.WriteAsync(bytes, cts.Token);
                if (data is SslStream tls)
                {
                    await tls.ShutdownAsync();
                }
            }
            catch (IOException e) when (e.InnerException is SocketException)
            {
                // The server ended the upload early (a full disk, a limit) and closed the data connection: its reply says why.
            }
        }

        return await ReadAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _socket.Dispose();
    }

    private async Task<Stream> DataStreamAsync(Socket socket)
    {
        // Disposing the stream closes the data connection, which ends an upload.
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        if (ProtectData)
        {
            var tls = new SslStream(stream, leaveInnerStreamOpen: false, Validate);
            using var cts = new CancellationTokenSource(Timeout);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" }, cts.Token);
            stream = tls;
        }

        return stream;
    }

    private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
        certificate is not null && _trusted is not null && certificate.GetCertHashString() == _trusted.GetCertHashString();

    [GeneratedRegex(@"\A(?:\d{3}-[^\n]*\n(?:(?!\d{3} )[^\n]*\n)*)?(\d{3}) [^\n]*\n")]
    private static partial Regex Complete();

    [GeneratedRegex(@"\(\|\|\|(\d+)\|\)")]
    private static partial Regex EpsvPort();
}
