using System.Text.RegularExpressions;
using Leibniz.Packaging.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Leibniz.Packaging.Tests;

[Collection(PackedLeibnizCollection.Name)]
public sealed class AnalyzerThroughPackageTests
{
    static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(3);
    static readonly Regex CompilerError = new(@": error CS\d+", RegexOptions.CultureInvariant);

    readonly PackedLeibniz package;
    readonly ITestOutputHelper log;

    public AnalyzerThroughPackageTests(PackedLeibniz package, ITestOutputHelper log)
    {
        this.package = package;
        this.log = log;
    }

    [Fact]
    public async Task Non_partial_model_fails_the_consuming_build_with_LZ0001()
    {
        // No backend: the build must fail before anything would run.
        var project = ConsumerProject.Create(package, "NotPartial", withTorchSharpCpu: false);

        var build = await project.BuildAsync(BuildTimeout);
        log.WriteLine($"build: {build.Elapsed.TotalSeconds:F1} s");

        Assert.False(build.TimedOut, build.Describe());
        Assert.True(build.ExitCode != 0, "a non-partial [Model] class built; the package's analyzer did not run. " + build.Describe());
        Assert.True(build.Output.Contains("error LZ0001", StringComparison.Ordinal) && build.Output.Contains("'NotPartial' must be declared partial", StringComparison.Ordinal),
            "the build failed, but not with LZ0001 on NotPartial. " + build.Describe());
        // The analyzer, not the C# compiler, is what stops the build: the source is valid C#.
        Assert.False(CompilerError.IsMatch(build.Output), "the build also failed with C# compiler errors. " + build.Describe());
    }
}
