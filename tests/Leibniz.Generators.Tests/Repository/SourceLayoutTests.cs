using System.Text.RegularExpressions;
using Leibniz.Generators.Tests.Infrastructure;

namespace Leibniz.Generators.Tests.Repository;

/// <summary>Each source file's namespace is its project's root namespace followed by its folders.</summary>
public sealed class SourceLayoutTests
{
    static readonly Regex Namespace = new(@"^namespace\s+([\w.]+)", RegexOptions.Multiline | RegexOptions.CultureInvariant);

    // Polyfills of framework types live where the framework declares them, whatever their folder.
    static readonly string[] Polyfills = { "IsExternalInit.cs" };

    public static TheoryData<string, string> Projects() => new()
    {
        { "src/Runtime", "Leibniz" },
        { "src/Generators", "Leibniz.Generators" },
        { "src/Analyzers/Leibniz.Analyzers", "Leibniz.Analyzers" },
        { "src/Analyzers/Leibniz.CodeFixes", "Leibniz.CodeFixes" },
    };

    [Theory]
    [MemberData(nameof(Projects))]
    public void Namespaces_follow_folders_in_(string project, string rootNamespace)
    {
        var root = Path.Combine(TestCompilation.RepositoryRoot, project);
        var mismatches = new List<string>();
        foreach (var file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            if (relative.StartsWith("bin/", StringComparison.Ordinal) || relative.StartsWith("obj/", StringComparison.Ordinal)) continue;
            if (Polyfills.Contains(Path.GetFileName(file))) continue;

            var folders = Path.GetDirectoryName(relative)!.Replace('\\', '/');
            var expected = folders.Length == 0 ? rootNamespace : rootNamespace + "." + folders.Replace('/', '.');
            var declared = Namespace.Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value).ToList();
            // NuGet fixes the package folder's name as build/, lower case, for the namespace Leibniz.Build.
            if (declared.Count == 0 || declared.Any(n => !string.Equals(n, expected, StringComparison.OrdinalIgnoreCase)))
                mismatches.Add($"{relative}: declares {(declared.Count == 0 ? "no namespace" : string.Join(", ", declared))}, its folder says {expected}");
        }
        Assert.True(mismatches.Count == 0, "move these files or fix their namespaces:\n" + string.Join('\n', mismatches));
    }
}
