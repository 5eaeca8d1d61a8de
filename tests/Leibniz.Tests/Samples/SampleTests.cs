using System.Diagnostics;
using System.Reflection;

namespace Leibniz.Tests.Samples;

public sealed class SampleTests
{
    static string Metadata(string key) => typeof(SampleTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    [Fact]
    public async Task Quickstart_trains_above_its_accuracy_bar_within_a_minute()
    {
        var program = Path.Combine(Metadata("RepositoryRoot"), "samples", "Quickstart", "bin", Metadata("Configuration"), "net10.0", "Quickstart.dll");
        Assert.True(File.Exists(program), $"{program} was not built");

        var start = new ProcessStartInfo("dotnet", new[] { program })
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var finished = true;
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            finished = false;
            process.Kill(entireProcessTree: true);
        }

        var output = await stdout + await stderr;

        Assert.True(finished, "the quickstart ran for more than a minute:\n" + output);
        Assert.True(process.ExitCode == 0, $"the quickstart exited with {process.ExitCode}:\n{output}");
        var accuracy = System.Text.RegularExpressions.Regex.Match(output, @"test accuracy (\d+(?:[.,]\d+)?)\s*%");
        Assert.True(accuracy.Success, "no accuracy line in:\n" + output);
        Assert.True(double.Parse(accuracy.Groups[1].Value.Replace(',', '.'), System.Globalization.CultureInfo.InvariantCulture) >= 95, output);
    }
}
