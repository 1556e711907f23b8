using System.Runtime.CompilerServices;
using GoplNet.Ftp.S3;
using PublicApiGenerator;

namespace GoplNet.Ftp.S3.Tests;

/// <summary>
/// Guards the public API of GoplNet.Ftp.S3: a change fails here until <c>PublicApi.approved.txt</c> is updated on
/// purpose (copy the <c>.received.txt</c> written next to it over the approved file).
/// </summary>
public sealed class PublicApiTests
{
    [Fact]
    public void Public_api_matches_the_approved_file()
    {
        var api = Normalize(typeof(S3FtpFileSystem).Assembly.GeneratePublicApi(
            new ApiGeneratorOptions
            {
                IncludeAssemblyAttributes = false,

                // The compiler's state-machine markers name generated types (<WatchAsync>d__18) that change with any edit.
                ExcludeAttributes =
                [
                    "System.Runtime.CompilerServices.AsyncIteratorStateMachineAttribute",
                    "System.Runtime.CompilerServices.AsyncStateMachineAttribute",
                    "System.Runtime.CompilerServices.IteratorStateMachineAttribute",
                ],
            }));
        var folder = ThisFolder();
        var approvedPath = Path.Combine(folder, "PublicApi.approved.txt");
        var receivedPath = Path.Combine(folder, "PublicApi.received.txt");
        var approved = File.Exists(approvedPath) ? Normalize(File.ReadAllText(approvedPath)) : string.Empty;

        if (api != approved)
        {
            File.WriteAllText(receivedPath, api);
            Assert.Fail($"The public API changed. Review {receivedPath} and copy it over {approvedPath} if the change is intended.");
        }

        File.Delete(receivedPath);
    }

    private static string Normalize(string text) => text.ReplaceLineEndings("\n").TrimEnd() + "\n";

    private static string ThisFolder([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
