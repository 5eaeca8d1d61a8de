using System.Reflection;
using System.Text.RegularExpressions;
using Leibniz.Generators.Diagnostics;
using Leibniz.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Leibniz.Generators.Tests.Documentation;

/// <summary>Every diagnostic Leibniz can report has its page under docs/diagnostics and its line in that folder's README.</summary>
public sealed class DiagnosticPagesTests
{
    static string Folder => Path.Combine(TestCompilation.RepositoryRoot, "docs", "diagnostics");

    public static TheoryData<string> Ids()
    {
        var data = new TheoryData<string>();
        foreach (var descriptor in Descriptors()) data.Add(descriptor.Id);
        return data;
    }

    static IEnumerable<DiagnosticDescriptor> Descriptors() => typeof(DiagnosticDescriptors)
        .GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
        .Where(field => field.FieldType == typeof(DiagnosticDescriptor))
        .Select(field => (DiagnosticDescriptor)field.GetValue(null)!)
        .OrderBy(descriptor => descriptor.Id, StringComparer.Ordinal);

    [Theory]
    [MemberData(nameof(Ids))]
    public void Diagnostic_has_a_page_headed_by_its_id(string id)
    {
        var page = Path.Combine(Folder, id + ".md");
        Assert.True(File.Exists(page), $"{id} has no page: write docs/diagnostics/{id}.md (what triggers it, why, how to fix it)");
        Assert.StartsWith("# " + id + ":", File.ReadAllText(page));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Diagnostic_has_a_line_in_the_list(string id)
    {
        var list = File.ReadAllText(Path.Combine(Folder, "README.md"));
        Assert.True(list.Contains($"| [{id}]({id}.md) |", StringComparison.Ordinal), $"docs/diagnostics/README.md has no line for {id}");
    }

    [Fact]
    public void Every_page_and_line_is_of_a_diagnostic()
    {
        var ids = Descriptors().Select(d => d.Id).ToHashSet();
        var pages = Directory.EnumerateFiles(Folder, "LZ*.md").Select(Path.GetFileNameWithoutExtension).ToList();
        var lines = Regex.Matches(File.ReadAllText(Path.Combine(Folder, "README.md")), @"^\| \[(LZ\d+)\]", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        var strayPages = pages.Where(page => !ids.Contains(page!)).ToList();
        var strayLines = lines.Where(line => !ids.Contains(line)).ToList();
        Assert.True(strayPages.Count == 0, "pages of no diagnostic: " + string.Join(", ", strayPages));
        Assert.True(strayLines.Count == 0, "lines of no diagnostic in docs/diagnostics/README.md: " + string.Join(", ", strayLines));
        Assert.Equal(lines.Distinct().Count(), lines.Count);
    }

    [Fact]
    public void Each_line_gives_the_descriptors_severity()
    {
        var list = File.ReadAllText(Path.Combine(Folder, "README.md"));
        foreach (var descriptor in Descriptors())
        {
            var line = list.Split('\n').Single(l => l.StartsWith($"| [{descriptor.Id}]", StringComparison.Ordinal));
            Assert.EndsWith("| " + descriptor.DefaultSeverity.ToString().ToLowerInvariant() + " |", line.TrimEnd());
        }
    }
}
