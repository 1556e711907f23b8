using System.Net;

namespace GoplNet.Ftp.Authentication;

/// <summary>A login to check: what USER and PASS said, and where they came from.</summary>
/// <param name="userName">The name USER gave.</param>
/// <param name="password">The password PASS gave (empty when it gave none).</param>
/// <param name="remoteEndPoint">The client's address and port (the real client behind a PROXY-protocol balancer).</param>
/// <param name="isTlsProtected">Whether the control connection is encrypted.</param>
public sealed class FtpLoginRequest(string userName, string password, IPEndPoint remoteEndPoint, bool isTlsProtected)
{
    /// <summary>The name USER gave.</summary>
    public string UserName { get; } = userName ?? throw new ArgumentNullException(nameof(userName));

    /// <summary>The password PASS gave (empty when it gave none). Never log it.</summary>
    public string Password { get; } = password ?? throw new ArgumentNullException(nameof(password));

    /// <summary>The client's address and port (the real client behind a PROXY-protocol balancer).</summary>
    public IPEndPoint RemoteEndPoint { get; } = remoteEndPoint ?? throw new ArgumentNullException(nameof(remoteEndPoint));

    /// <summary>Whether the control connection is encrypted (AUTH TLS or implicit TLS).</summary>
    public bool IsTlsProtected { get; } = isTlsProtected;

    /// <summary>The user name and address, never the password.</summary>
    /// <returns>For example <c>alice from 192.0.2.7:51234</c>.</returns>
    public override string ToString() => $"{UserName} from {RemoteEndPoint}";
}
