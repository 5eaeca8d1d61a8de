using Leibniz.Packaging.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Leibniz.Packaging.Tests;

/// <summary>
/// The package's build targets give the output a copy of TorchSharp's native shim with its GLIBCXX_3.4.32
/// requirement made weak (where the system lacks that version), patch it once rather than on every build,
/// and step aside when the project opts out.
/// </summary>
[Collection(PackedLeibnizCollection.Name)]
public sealed class NativeLoadFixTests
{
    const string SystemLibStdCxx = "/lib/x86_64-linux-gnu/libstdc++.so.6";
    const string PatchedLine = "Leibniz: marked GLIBCXX_3.4.32 weak";
    const string PatchTarget = "LeibnizPatchTorchSharpShim";
    const string OptOutProperty = "LeibnizNativeLoadFixEnabled";
    const ushort VerFlagWeak = 0x2;

    static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(3);
    // Normal verbosity: MSBuild then says which targets it skipped as up to date.
    static readonly string[] Normal = { "-v:n" };

    readonly PackedLeibniz package;
    readonly ITestOutputHelper log;

    public NativeLoadFixTests(PackedLeibniz package, ITestOutputHelper log)
    {
        this.package = package;
        this.log = log;
    }

    [Fact]
    public async Task The_shim_is_patched_on_the_first_build_and_left_alone_by_the_next()
    {
        if (!OnLinuxX64) return;
        var project = ConsumerProject.Create(package, "NativeShim", withTorchSharpCpu: false);

        var first = await project.BuildAsync(BuildTimeout, Normal);
        log.WriteLine($"first build: {first.Elapsed.TotalSeconds:F1} s");
        Assert.True(first.Succeeded, first.Describe());
        var shipped = File.ReadAllBytes(CachedShim);
        var output = File.ReadAllBytes(OutputShim(project));
        if (SystemLacksVersion)
        {
            Assert.True(first.Output.Contains(PatchedLine, StringComparison.Ordinal), $"the system lacks GLIBCXX_3.4.32, but the build did not patch the shim. {first.Describe()}");
            AssertWeakenedCopy(shipped, output);
        }
        else
        {
            Assert.Equal(shipped, output);
        }
        var written = File.GetLastWriteTimeUtc(OutputShim(project));

        var second = await project.BuildAsync(BuildTimeout, Normal);
        log.WriteLine($"second build: {second.Elapsed.TotalSeconds:F1} s");
        Assert.True(second.Succeeded, second.Describe());
        Assert.False(second.Output.Contains(PatchedLine, StringComparison.Ordinal), "a build with nothing changed patched the shim again. " + second.Describe());
        Assert.True(second.Output.Contains($"Skipping target \"{PatchTarget}\" because all output files are up-to-date", StringComparison.Ordinal),
            $"a build with nothing changed did not skip {PatchTarget} as up to date. {second.Describe()}");
        Assert.Equal(output, File.ReadAllBytes(OutputShim(project)));
        Assert.True(written == File.GetLastWriteTimeUtc(OutputShim(project)), "a build with nothing changed copied the shim into the output again.");
    }

    [Fact]
    public async Task Opting_out_leaves_TorchSharps_shim_as_shipped()
    {
        if (!OnLinuxX64) return;
        var project = ConsumerProject.Create(package, "NativeShimOptOut", withTorchSharpCpu: false, source: "NativeShim",
            properties: new Dictionary<string, string> { [OptOutProperty] = "false" });

        var build = await project.BuildAsync(BuildTimeout, Normal);
        log.WriteLine($"build: {build.Elapsed.TotalSeconds:F1} s");
        Assert.True(build.Succeeded, build.Describe());
        Assert.False(build.Output.Contains("Leibniz:", StringComparison.Ordinal), $"{OptOutProperty}=false, yet the native-load fix spoke. {build.Describe()}");
        Assert.False(build.Output.Contains(PatchTarget, StringComparison.Ordinal), $"{OptOutProperty}=false, yet {PatchTarget} was considered. {build.Describe()}");
        Assert.Equal(File.ReadAllBytes(CachedShim), File.ReadAllBytes(OutputShim(project)));
    }

    /// <summary>The copy differs from TorchSharp's file in one byte, which gained the weak flag and nothing else.</summary>
    static void AssertWeakenedCopy(byte[] shipped, byte[] copy)
    {
        Assert.Equal(shipped.Length, copy.Length);
        var changed = Enumerable.Range(0, shipped.Length).Where(i => shipped[i] != copy[i]).ToList();
        Assert.True(changed.Count == 1, $"the copy differs from the shipped shim in {changed.Count} bytes, not one");
        Assert.Equal(shipped[changed[0]] | VerFlagWeak, copy[changed[0]]);
    }

    static bool OnLinuxX64 => OperatingSystem.IsLinux() && System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.X64;

    static bool SystemLacksVersion =>
        File.Exists(SystemLibStdCxx) && File.ReadAllBytes(SystemLibStdCxx).AsSpan().IndexOf("GLIBCXX_3.4.32"u8) < 0;

    static string OutputShim(ConsumerProject project) => Path.Combine(project.OutputFolder, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    static string CachedShim
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
            var packages = string.IsNullOrEmpty(configured)
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages")
                : configured;
            return Path.Combine(packages, "torchsharp", ConsumerProject.TorchSharpVersion, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        }
    }
}
