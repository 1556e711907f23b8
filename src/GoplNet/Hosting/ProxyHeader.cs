using System.Net;

namespace GoplNet.Hosting;

/// <summary>What a PROXY protocol header said about a connection that came through a proxy.</summary>
/// <param name="Version">The protocol version the proxy spoke: 1 (text) or 2 (binary).</param>
/// <param name="IsProxied">
/// Whether the header carried the client's addresses (v1 <c>TCP4</c>/<c>TCP6</c>, v2 <c>PROXY</c>);
/// <see langword="false"/> for v1 <c>UNKNOWN</c> and v2 <c>LOCAL</c> (the balancer's own health checks),
/// in which case <paramref name="Source"/> and <paramref name="Destination"/> are the connection's own endpoints.
/// </param>
/// <param name="Source">The real client: the address and port the proxy accepted the connection from.</param>
/// <param name="Destination">The address and port the client connected to on the proxy.</param>
internal sealed record ProxyHeader(int Version, bool IsProxied, IPEndPoint Source, IPEndPoint Destination);
