using System.Reflection;
using PublicApiGenerator;
using Xunit;

namespace GoplNet.Testing;

/// <summary>
/// Compares an assembly's public API with <c>PublicApi.approved.txt</c> in a test project's folder; a change fails
/// until the approved file is updated on purpose (copy the <c>.received.txt</c> written next to it over it).
/// Compiled into each test project that guards an assembly.
/// </summary>
internal static class PublicApiApproval
{
    public static void Verify(Assembly assembly, string folder)
    {
        var api = Normalize(assembly.GeneratePublicApi(
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
}
