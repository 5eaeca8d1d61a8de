using System.IO;
using Leibniz.Build;

namespace Leibniz.Tests.NativeLoad;

public sealed class ElfVersionRequirementTests
{
    const string Version = "GLIBCXX_3.4.32";
    const string SystemLibStdCxx = "/lib/x86_64-linux-gnu/libstdc++.so.6";

    static string CachedShim()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return Path.Combine(packages, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
    }

    static string OutputShim() => Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    static bool SystemLacksVersion()
        => File.Exists(SystemLibStdCxx) && !ElfVersionRequirement.Contains(File.ReadAllBytes(SystemLibStdCxx), Version);

    [Fact]
    public void Weakening_the_shipped_shim_flips_one_flag_bit_and_is_idempotent()
    {
        var original = File.ReadAllBytes(CachedShim());
        Assert.True(ElfVersionRequirement.RequiresStrongly(original, Version), "TorchSharp 0.107.0's shim is expected to need GLIBCXX_3.4.32.");

        var patched = (byte[])original.Clone();
        Assert.Equal(WeakenOutcome.Weakened, ElfVersionRequirement.Weaken(patched, Version));

        var changed = Enumerable.Range(0, original.Length).Where(i => original[i] != patched[i]).ToList();
        var only = Assert.Single(changed);
        Assert.Equal(0x2, patched[only] ^ original[only]);

        var again = (byte[])patched.Clone();
        Assert.Equal(WeakenOutcome.AlreadyWeak, ElfVersionRequirement.Weaken(again, Version));
        Assert.Equal(patched, again);
        Assert.False(ElfVersionRequirement.RequiresStrongly(patched, Version));
    }

    [Fact]
    public void A_version_the_library_does_not_need_is_reported_as_not_required()
    {
        var bytes = File.ReadAllBytes(CachedShim());
        var before = (byte[])bytes.Clone();
        Assert.Equal(WeakenOutcome.NotRequired, ElfVersionRequirement.Weaken(bytes, "GLIBCXX_9.9.99"));
        Assert.Equal(before, bytes);
    }

    [Fact]
    public void The_build_patches_the_output_copy_and_never_the_nuget_cache()
    {
        Assert.True(ElfVersionRequirement.RequiresStrongly(File.ReadAllBytes(CachedShim()), Version),
            "the NuGet cache's copy of libLibTorchSharp.so was modified; the fix must patch only the output copy");

        var output = File.ReadAllBytes(OutputShim());
        Assert.Equal(!SystemLacksVersion(), ElfVersionRequirement.RequiresStrongly(output, Version));
    }

    [Fact]
    public void Files_that_are_not_elf64_little_endian_are_rejected_with_the_reason()
    {
        var text = System.Text.Encoding.ASCII.GetBytes(new string('x', 128));
        Assert.Contains("bad magic", Assert.Throws<InvalidDataException>(() => ElfVersionRequirement.Weaken(text, Version)).Message);

        var elf32 = File.ReadAllBytes(CachedShim()).Take(128).ToArray();
        elf32[4] = 1;
        Assert.Contains("64-bit", Assert.Throws<InvalidDataException>(() => ElfVersionRequirement.Weaken(elf32, Version)).Message);
    }

    [Fact]
    public void A_truncated_library_is_rejected_not_misread()
    {
        var truncated = File.ReadAllBytes(CachedShim()).Take(4096).ToArray();
        Assert.Throws<InvalidDataException>(() => ElfVersionRequirement.Weaken(truncated, Version));
    }
}
