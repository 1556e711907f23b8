using System.Runtime.CompilerServices;
using GoplNet.Testing;
using GoplNet.Ftp.S3;

namespace GoplNet.Ftp.S3.Tests;

/// <summary>Guards the public API: see <see cref="PublicApiApproval"/>.</summary>
public sealed class PublicApiTests
{
    [Fact]
    public void Public_api_matches_the_approved_file() => PublicApiApproval.Verify(typeof(S3FtpFileSystem).Assembly, ThisFolder());

    private static string ThisFolder([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
