using System.Globalization;
using GoplNet.Ftp;
using GoplNet.Ftp.S3;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Gopl;

/// <summary>
/// <c>gopl ftp --config FILE</c>: a JSON file with an <c>"Ftp"</c> section (the server's options, as
/// <see cref="FtpServerOptions.Bind"/> reads them, the same as a hosted application's
/// appsettings.json) and optionally an <c>"S3"</c> section (the bucket). Every key must be known;
/// every problem is reported at once, on one line, with exit code 2.
/// </summary>
internal static class FtpConfigFile
{
    private static readonly string[] TopLevel = ["Ftp", "S3"];

    public static void Read(string path, FtpServerOptions options, S3FtpFileSystemOptions s3)
    {
        IConfigurationRoot configuration;
        try
        {
            configuration = new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(path), optional: false, reloadOnChange: false).Build();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or InvalidDataException)
        {
            throw new UsageException($"--config: cannot read '{path}': {e.Message.ReplaceLineEndings(" ")}");
        }

        var problems = configuration.GetChildren()
            .Where(c => !TopLevel.Contains(c.Key, StringComparer.OrdinalIgnoreCase))
            .Select(c => $"{c.Path}: unknown section (Ftp and S3 are known)")
            .ToList();
        try
        {
            options.Bind(configuration.GetSection("Ftp"));
        }
        catch (OptionsValidationException e)
        {
            problems.AddRange(e.Failures);
        }

        foreach (var setting in configuration.GetSection("S3").GetChildren())
        {
            var value = setting.Value ?? string.Empty;
            switch (setting.Key.ToUpperInvariant())
            {
                case "BUCKETNAME": s3.BucketName = value; break;
                case "KEYPREFIX": s3.KeyPrefix = value; break;
                case "REGION": s3.Region = value; break;
                case "SERVICEURL": s3.ServiceUrl = value; break;
                case "FORCEPATHSTYLE" when bool.TryParse(value, out var pathStyle): s3.ForcePathStyle = pathStyle; break;
                case "PARTSIZEBYTES" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var partSize): s3.PartSizeBytes = partSize; break;
                case "FORCEPATHSTYLE" or "PARTSIZEBYTES": problems.Add($"{setting.Path}: '{value}' cannot be read"); break;
                default: problems.Add($"{setting.Path}: unknown setting (credentials come from the AWS environment variables or profile)"); break;
            }
        }

        if (problems.Count > 0)
        {
            throw new UsageException($"--config: {path}: {string.Join("; ", problems)}");
        }
    }
}
