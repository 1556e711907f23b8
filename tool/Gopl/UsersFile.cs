using GoplNet.Ftp.Authentication;

namespace Gopl;

/// <summary>The accounts of <c>--users-file</c> (the format is <see cref="FtpUsersFile"/>'s), with its problems as command-line errors.</summary>
internal static class UsersFile
{
    public static IReadOnlyList<FtpUser> Read(string path)
    {
        try
        {
            return FtpUsersFile.Read(path);
        }
        catch (FormatException e)
        {
            throw new UsageException($"--users-file: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--users-file: cannot read '{path}': {e.Message}");
        }
    }
}
