using Leibniz.Generators.Tests.ImplicitLayers;
using Leibniz.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Leibniz.Generators.Tests.Differentiation;

/// <summary>
/// A project that builds its XML documentation with warnings as errors must build with the generated code in it: every
/// generated member that documents some parameters documents all of them (CS1573), and names only its own (CS1572).
/// </summary>
public sealed class DocumentationCommentTests
{
    public static TheoryData<string> Inputs() => new() { nameof(ForwardInputs.Scalar), nameof(ForwardInputs.Tensor), nameof(ForwardInputs.Model), nameof(CompositionInputs.Models), "Layers" };

    static string Source(string name) => name switch
    {
        nameof(ForwardInputs.Scalar) => ForwardInputs.Scalar,
        nameof(ForwardInputs.Tensor) => ForwardInputs.Tensor,
        nameof(ForwardInputs.Model) => ForwardInputs.Model,
        nameof(CompositionInputs.Models) => CompositionInputs.Models,
        _ => ImplicitLayerSnapshotTests.Source,
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Generated_members_document_all_their_parameters_or_none(string input)
    {
        var compilation = TestCompilation.Create(("Input.cs", Source(input)));
        var documented = compilation.WithOptions(compilation.Options).AddSyntaxTrees()
            .RemoveAllSyntaxTrees()
            .AddSyntaxTrees(compilation.SyntaxTrees.Select(t => t.WithRootAndOptions(t.GetRoot(), ((CSharpParseOptions)t.Options).WithDocumentationMode(DocumentationMode.Diagnose))));
        var driver = CSharpGeneratorDriver.Create(
            new[] { new Leibniz.Generators.Pipelines.ModelGenerator().AsSourceGenerator(), new Leibniz.Generators.Pipelines.DifferentiableGenerator().AsSourceGenerator() },
            parseOptions: TestCompilation.ParseOptions.WithDocumentationMode(DocumentationMode.Diagnose));
        driver.RunGeneratorsAndUpdateCompilation(documented, out var output, out _);

        var generatedTrees = output.SyntaxTrees.Where(t => !documented.SyntaxTrees.Contains(t)).ToHashSet();
        Assert.NotEmpty(generatedTrees);
        var problems = output.GetDiagnostics()
            .Where(d => d.Id is "CS1573" or "CS1572" or "CS1574" or "CS1584" or "CS1658" or "CS1570" && d.Location.SourceTree is { } tree && generatedTrees.Contains(tree))
            .Select(d => d.ToString())
            .ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
