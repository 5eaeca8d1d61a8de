using System.IO.Compression;
using System.Xml.Linq;
using Leibniz.Packaging.Tests.Infrastructure;

namespace Leibniz.Packaging.Tests;

[Collection(PackedLeibnizCollection.Name)]
public sealed class PackageLayoutTests
{
    static readonly string[] AnalyzerAssemblies = { "Leibniz.Generators.dll", "Leibniz.Analyzers.dll", "Leibniz.CodeFixes.dll" };

    readonly PackedLeibniz package;

    public PackageLayoutTests(PackedLeibniz package) => this.package = package;

    [Fact]
    public void Runtime_is_the_only_library_and_targets_net8()
    {
        var entries = Entries();
        Assert.Contains("lib/net8.0/Leibniz.Runtime.dll", entries);

        var libraries = entries.Where(e => e.StartsWith("lib/", StringComparison.Ordinal) && e.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(libraries.SequenceEqual(new[] { "lib/net8.0/Leibniz.Runtime.dll" }),
            "lib/ must hold the runtime alone (a generator there would be referenced, not run). It holds: " + string.Join(", ", libraries));
    }

    [Fact]
    public void Generator_analyzers_and_code_fixes_ship_as_CSharp_analyzers()
    {
        var entries = Entries();
        foreach (var assembly in AnalyzerAssemblies)
        {
            Assert.True(entries.Contains("analyzers/dotnet/cs/" + assembly), $"analyzers/dotnet/cs/{assembly} is missing; the package holds:\n{string.Join('\n', entries)}");
            Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal) && e.EndsWith("/" + assembly, StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("build")]
    [InlineData("buildTransitive")]
    public void Native_load_fix_ships_in_(string folder)
    {
        var entries = Entries();
        // NuGet imports build/<id>.targets only when the file is named after the package id.
        Assert.Contains($"{folder}/Leibniz.targets", entries);
        Assert.Contains($"{folder}/LeibnizNativeLoadFix.cs", entries);

        // The targets find the task's source beside themselves.
        using var archive = ZipFile.OpenRead(package.PackagePath);
        using var reader = new StreamReader(archive.GetEntry($"{folder}/Leibniz.targets")!.Open());
        Assert.Contains("$(MSBuildThisFileDirectory)LeibnizNativeLoadFix.cs", reader.ReadToEnd());
    }

    [Fact]
    public void Depends_on_TorchSharp_alone()
    {
        var dependencies = Nuspec().Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(e => (Id: (string)e.Attribute("id")!, Version: (string)e.Attribute("version")!))
            .ToList();
        var listed = string.Join(", ", dependencies.Select(d => $"{d.Id} {d.Version}"));

        Assert.True(dependencies.Contains(("TorchSharp", "0.107.0")), "TorchSharp 0.107.0 is not a dependency; the nuspec lists: " + listed);
        // The backend is the application's choice (TorchSharp-cpu here, a CUDA package elsewhere); Roslyn
        // comes with the compiler that loads the analyzers; the generator projects are inside the package.
        Assert.DoesNotContain(dependencies, d => d.Id.StartsWith("Microsoft.CodeAnalysis", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(dependencies, d => d.Id.StartsWith("TorchSharp-", StringComparison.OrdinalIgnoreCase) || d.Id.StartsWith("libtorch", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(dependencies, d => d.Id.StartsWith("Leibniz", StringComparison.OrdinalIgnoreCase));
        Assert.True(dependencies.Count == 1, "only TorchSharp may be a dependency; the nuspec lists: " + listed);
    }

    [Fact]
    public void Nuspec_carries_the_requested_version()
    {
        var version = Nuspec().Descendants().Single(e => e.Name.LocalName == "version").Value;
        Assert.Equal(package.Version, version);
    }

    List<string> Entries()
    {
        using var archive = ZipFile.OpenRead(package.PackagePath);
        return archive.Entries.Select(e => e.FullName).ToList();
    }

    XDocument Nuspec()
    {
        using var archive = ZipFile.OpenRead(package.PackagePath);
        var entry = archive.Entries.Single(e => !e.FullName.Contains('/') && e.FullName.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase));
        using var stream = entry.Open();
        return XDocument.Load(stream);
    }
}
