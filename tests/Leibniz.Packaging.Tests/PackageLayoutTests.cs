using System.IO.Compression;
using System.Reflection;
using System.Text.RegularExpressions;
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

    [Fact]
    public void Nuspec_carries_license_repository_project_description_tags_and_readme()
    {
        var nuspec = Nuspec();
        string Element(string name) => nuspec.Descendants().SingleOrDefault(e => e.Name.LocalName == name)?.Value
            ?? throw new Xunit.Sdk.XunitException($"the nuspec has no <{name}>:\n{nuspec}");

        var license = nuspec.Descendants().Single(e => e.Name.LocalName == "license");
        Assert.Equal("expression", (string?)license.Attribute("type"));
        Assert.Equal("MIT", license.Value);

        var repository = nuspec.Descendants().Single(e => e.Name.LocalName == "repository");
        Assert.Equal("git", (string?)repository.Attribute("type"));
        Assert.Equal(RepositoryUrl, (string?)repository.Attribute("url"));
        Assert.Equal(RepositoryUrl, Element("projectUrl"));

        Assert.False(string.IsNullOrWhiteSpace(Element("description")));
        Assert.Contains("torchsharp", Element("tags").Split(' '));
        Assert.Equal("README.md", Element("readme"));
        Assert.Contains("README.md", Entries());
    }

    [Fact]
    public void Packed_readme_links_point_at_the_repository()
    {
        var packed = ReadEntry("README.md");
        var source = File.ReadAllText(Path.Combine(PackedLeibniz.RepositoryRoot, "README.md"));

        var relative = LinkTargets(packed).Where(target => !IsAbsoluteOrInPage(target)).ToList();
        Assert.True(relative.Count == 0, "the packed README keeps relative links, which lead nowhere on a package page:\n" + string.Join('\n', relative));

        // Every relative link of the repository's README reaches the same file in the repository, and nothing else changed.
        var sourceRelative = LinkTargets(source).Where(target => !IsAbsoluteOrInPage(target)).ToList();
        Assert.NotEmpty(sourceRelative);
        foreach (var target in sourceRelative)
            Assert.Contains($"]({RepositoryUrl}/blob/{RepositoryBranch}/{target.TrimStart('/')})", packed);
        Assert.Equal(source.Split('\n').Length, packed.Split('\n').Length);
    }

    static readonly Regex InlineLink = new(@"\]\(\s*([^)\s]+)", RegexOptions.CultureInvariant);
    static readonly Regex ReferenceLink = new(@"^\s*\[[^\]]+\]:\s*(\S+)", RegexOptions.Multiline | RegexOptions.CultureInvariant);
    static readonly Regex HtmlLink = new(@"(?:href|src)\s*=\s*[""']([^""']+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    static IEnumerable<string> LinkTargets(string markdown)
        => new[] { InlineLink, ReferenceLink, HtmlLink }.SelectMany(r => r.Matches(markdown)).Select(m => m.Groups[1].Value);

    static bool IsAbsoluteOrInPage(string target)
        => target.StartsWith('#') || Uri.TryCreate(target, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" or "mailto";

    static string RepositoryUrl => Metadata("RepositoryUrl");

    static string RepositoryBranch => Metadata("RepositoryBranch");

    static string Metadata(string key) => typeof(PackageLayoutTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    string ReadEntry(string name)
    {
        using var archive = ZipFile.OpenRead(package.PackagePath);
        using var reader = new StreamReader(archive.GetEntry(name)!.Open());
        return reader.ReadToEnd();
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
