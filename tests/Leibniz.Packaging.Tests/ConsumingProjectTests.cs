using System.Globalization;
using System.Text.RegularExpressions;
using Leibniz.Packaging.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Leibniz.Packaging.Tests;

[Collection(PackedLeibnizCollection.Name)]
public sealed class ConsumingProjectTests
{
    const string SystemLibStdCxx = "/lib/x86_64-linux-gnu/libstdc++.so.6";
    const string NativeFixLine = "Leibniz: marked GLIBCXX_3.4.32 weak";

    // The first restore may have to fetch and extract libtorch (about 600 MB) into the NuGet cache.
    static readonly TimeSpan FirstBuildTimeout = TimeSpan.FromMinutes(5);
    static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(3);
    static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    static readonly Regex CompilerWarning = new(@": warning (CS|AD|LZ|RS)\d+", RegexOptions.CultureInvariant);

    readonly PackedLeibniz package;
    readonly ITestOutputHelper log;

    public ConsumingProjectTests(PackedLeibniz package, ITestOutputHelper log)
    {
        this.package = package;
        this.log = log;
    }

    [Fact]
    public async Task Model_from_the_package_builds_registers_its_parameters_trains_and_survives_a_rebuild()
    {
        log.WriteLine($"packed {package.PackagePath} in {package.PackTime.TotalSeconds:F1} s");
        var project = ConsumerProject.Create(package, "Training", withTorchSharpCpu: true);

        var build = await project.BuildAsync(FirstBuildTimeout);
        log.WriteLine($"first build: {build.Elapsed.TotalSeconds:F1} s");
        Assert.True(build.Succeeded, build.Describe());
        // The generator ran (the model compiled as a module) and nothing the package adds warns.
        var warnings = build.Output.Split('\n').Where(line => CompilerWarning.IsMatch(line)).Distinct().ToList();
        Assert.True(warnings.Count == 0, "the consuming build warned:\n" + string.Join('\n', warnings));
        if (NativeFixExpected)
        {
            Assert.True(build.Output.Contains(NativeFixLine, StringComparison.Ordinal),
                $"{SystemLibStdCxx} lacks GLIBCXX_3.4.32, so the package's build targets must patch TorchSharp's shim, but the build did not say so. {build.Describe()}");
        }

        var run = await project.RunAsync(RunTimeout);
        log.WriteLine($"first run: {run.Elapsed.TotalSeconds:F1} s");
        AssertTrained(run);
        if (NativeFixExpected)
        {
            // TorchSharp copies every native library into cpu/ and retries there only when loading the
            // build's copy failed: its absence shows the patched copy is what loaded.
            Assert.False(Directory.Exists(Path.Combine(project.OutputFolder, "cpu")),
                "TorchSharp fell back to its run-time copy in cpu/: the patched shim in runtimes/linux-x64/native did not load.");
        }

        // A rebuild must keep the patched shim in place (NativeLoadFixTests checks it is not patched again)
        // and leave a program that still loads.
        var rebuild = await project.BuildAsync(BuildTimeout);
        log.WriteLine($"second build: {rebuild.Elapsed.TotalSeconds:F1} s");
        Assert.True(rebuild.Succeeded, rebuild.Describe());

        var rerun = await project.RunAsync(RunTimeout);
        log.WriteLine($"second run: {rerun.Elapsed.TotalSeconds:F1} s");
        AssertTrained(rerun);
    }

    static void AssertTrained(ProcessResult run)
    {
        Assert.True(run.Succeeded, run.Describe());
        var values = run.Output.Split('\n')
            .Select(line => line.TrimEnd('\r').Split(' ', 2))
            .Where(parts => parts.Length == 2 && parts[0].All(c => char.IsAsciiLetterUpper(c) || c == '_'))
            .ToDictionary(parts => parts[0], parts => parts[1]);
        string Value(string key) => values.TryGetValue(key, out var value) ? value : throw new Xunit.Sdk.XunitException($"no {key} line. {run.Describe()}");
        static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

        // Registered by the generated code, in declaration order, with the shapes the constructor gave.
        Assert.Equal("2", Value("PARAMS"));
        Assert.Equal("weight,bias", Value("NAMES"));
        Assert.Equal("1x3,1", Value("SHAPES"));

        // Gradients reached the registered parameters: the loss of an exactly solvable problem falls
        // by orders of magnitude and the fit recovers the generating coefficients.
        var first = Number(Value("LOSS_FIRST"));
        var last = Number(Value("LOSS_LAST"));
        Assert.True(first > 0.5, $"the initial loss {first} is implausibly small for weights near zero");
        Assert.True(last < first * 1e-3, $"the loss fell only from {first} to {last} in 60 SGD steps");
        var weight = Value("WEIGHT").Split(',').Select(Number).ToArray();
        var expected = new[] { 2.0, -1.0, 0.5 };
        Assert.Equal(expected.Length, weight.Length);
        for (var i = 0; i < expected.Length; i++) Assert.InRange(weight[i], expected[i] - 0.02, expected[i] + 0.02);
        Assert.InRange(Number(Value("BIAS")), 0.23, 0.27);

        // The packaged generator's backward of a tuple-input model calling a module is the tape's, to rounding.
        var gatedDifference = Number(Value("GATED_GRADIENT_DIFFERENCE"));
        Assert.True(gatedDifference < 1e-12, $"the generated gradients of the tuple-input model differ from the tape's by {gatedDifference}");

        // The packaged generator's implicit layer: its gradient in λ, by autograd and tape-free, is the closed form's.
        var implicitDifference = Number(Value("IMPLICIT_GRADIENT_DIFFERENCE"));
        Assert.True(implicitDifference < 1e-9, $"the implicit layer's gradient differs from the closed form's by {implicitDifference}");
    }

    /// <summary>Whether the package's targets must patch TorchSharp's shim here: the system libstdc++ predates GCC 13.2.</summary>
    static bool NativeFixExpected =>
        File.Exists(SystemLibStdCxx) && File.ReadAllBytes(SystemLibStdCxx).AsSpan().IndexOf("GLIBCXX_3.4.32"u8) < 0;
}
