using GoplNet.Ftp;
using GoplNet.Ftp.Authentication;
using GoplNet.Ftp.Protocol;
using GoplNet.Ftp.Storage;

namespace GoplNet.Tests.Ftp;

public sealed class FtpPathTests
{
    [Theory]
    [InlineData("/", "", "/")]
    [InlineData("/", "docs", "/docs")]
    [InlineData("/docs", "../..", "/")]
    [InlineData("/docs", "../../../etc/passwd", "/etc/passwd")]
    [InlineData("/docs", "/abs/./x//y/", "/abs/x/y")]
    [InlineData("/docs", "a b/ünï", "/docs/a b/ünï")]
    [InlineData("/docs", "..\\..\\x", "/docs/..\\..\\x")]
    [InlineData("/docs", "%2e%2e/x", "/docs/%2e%2e/x")]
    public void Resolve_stays_inside_the_virtual_root(string current, string argument, string expected) =>
        Assert.Equal(expected, FtpPath.Resolve(current, argument));

    [Fact]
    public void Resolve_refuses_NUL_bytes() => Assert.Null(FtpPath.Resolve("/", "a\0b"));

    [Fact]
    public void ToLocal_refuses_a_link_that_leads_outside_the_root()
    {
        var root = Directory.CreateTempSubdirectory("goplnet-jail-").FullName;
        var outside = Directory.CreateTempSubdirectory("goplnet-outside-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "inside"));
            File.CreateSymbolicLink(Path.Combine(root, "escape"), outside);
            File.CreateSymbolicLink(Path.Combine(root, "alias"), Path.Combine(root, "inside"));
            var fileSystem = new LocalFtpFileSystem(root);

            Assert.Null(fileSystem.ToLocal("/escape"));
            Assert.Null(fileSystem.ToLocal("/escape/new-file"));
            Assert.Equal(Path.Combine(root, "alias", "x"), fileSystem.ToLocal("/alias/x"));
            Assert.Equal(Path.Combine(root, "inside"), fileSystem.ToLocal("/inside"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
            Directory.Delete(outside, recursive: true);
        }
    }

    [Theory]
    [InlineData("USER alice", "USER", "alice")]
    [InlineData("retr my file.txt", "RETR", "my file.txt")]
    [InlineData("PWD", "PWD", "")]
    [InlineData("noop ", "NOOP", "")]
    [InlineData("STOR  two spaces", "STOR", " two spaces")]
    public void Split_separates_the_verb_from_the_argument(string line, string verb, string argument) =>
        Assert.Equal((verb, argument), FtpSession.Split(line));

    [Theory]
    [InlineData("alice", "alice")]
    [InlineData("eve\r\n12:00 info: admin logged in", "eve??12:00 info: admin logged in")]
    [InlineData("\u001b[31mred", "?[31mred")]
    public void Names_go_into_logs_without_control_characters(string name, string logged) =>
        Assert.Equal(logged, FtpServerLog.Printable(name));

    [Fact]
    public void Password_hashes_verify_only_their_password()
    {
        var hash = FtpPasswordHash.Create("correct horse");

        Assert.StartsWith("pbkdf2-sha256$", hash, StringComparison.Ordinal);
        Assert.True(FtpPasswordHash.Verify("correct horse", hash));
        Assert.False(FtpPasswordHash.Verify("correct horsE", hash));
        Assert.False(FtpPasswordHash.Verify("x", "pbkdf2-sha256$1$bad$bad"));
        Assert.NotEqual(hash, FtpPasswordHash.Create("correct horse"));
    }
}
