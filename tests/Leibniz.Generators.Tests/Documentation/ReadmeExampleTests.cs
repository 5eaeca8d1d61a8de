using System.Text.RegularExpressions;
using Leibniz.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Leibniz.Generators.Tests.Documentation;

/// <summary>
/// Each C# block of the README is a whole program a reader can paste into a console project that references Leibniz: it
/// compiles through the generators, as a user's build would, with no error or warning.
/// </summary>
public sealed class ReadmeExampleTests
{
    static readonly Regex CSharpBlock = new(@"^```csharp\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline | RegexOptions.CultureInvariant);

    /// <summary>The README's C# blocks, in order.</summary>
    internal static IReadOnlyList<string> Blocks()
    {
        var readme = File.ReadAllText(Path.Combine(TestCompilation.RepositoryRoot, "README.md")).Replace("\r\n", "\n");
        return CSharpBlock.Matches(readme).Select(m => m.Groups[1].Value).ToList();
    }

    public static TheoryData<int> Indexes()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < Blocks().Count; i++) data.Add(i);
        return data;
    }

    [Fact]
    public void Readme_has_its_examples()
        => Assert.True(Blocks().Count >= 3, $"the README has {Blocks().Count} C# blocks; the pattern that finds them may no longer match its fences");

    [Theory]
    [MemberData(nameof(Indexes))]
    public void Readme_block_compiles_through_the_generators(int index)
    {
        var source = Blocks()[index];
        var compilation = TestCompilation.Create(("ImplicitUsings.cs", TestCompilation.ImplicitUsings), ($"Readme{index}.cs", source));
        var program = compilation.SyntaxTrees.Last();
        if (program.GetRoot().DescendantNodes().OfType<GlobalStatementSyntax>().Any())
            compilation = compilation.WithOptions(compilation.Options.WithOutputKind(OutputKind.ConsoleApplication));

        var (results, output) = GeneratorRunner.RunAll(compilation);
        var generatorDiagnostics = results.SelectMany(r => r.Diagnostics).ToList();
        Assert.True(generatorDiagnostics.Count == 0, $"block {index + 1} of the README: " + string.Join("\n", generatorDiagnostics));
        Assert.True(results.Sum(r => r.GeneratedSources.Length) > 0, $"block {index + 1} of the README generates nothing");

        using var stream = new MemoryStream();
        var emitted = output.Emit(stream);
        var problems = emitted.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(emitted.Success && problems.Count == 0, $"block {index + 1} of the README:\n" + string.Join("\n", problems));
    }
}
