using Leibniz.Generators.Pipelines;
using Leibniz.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Leibniz.Generators.Tests.Differentiation;

/// <summary>The generated code of models that call other models, and its caching.</summary>
public sealed class ModelCompositionGeneratorTests
{
    static readonly string[] TrackedSteps = { TrackingNames.DifferentiableFrontend, TrackingNames.DifferentiableReverse, TrackingNames.DifferentiableTypes };

    static GeneratorRunResult DifferentiableRun(GeneratorDriverRunResult result)
        => result.Results.Single(r => r.Generator.GetGeneratorType() == typeof(DifferentiableGenerator));

    [Fact]
    public void Composed_models_generate_their_verified_derivatives_and_compile_cleanly()
    {
        var (results, output) = GeneratorRunner.RunAll(TestCompilation.Create(("Models.cs", CompositionInputs.Models)));

        Assert.All(results, result => Assert.Null(result.Exception));
        Assert.All(results, result => Assert.Empty(result.Diagnostics));
        Assert.Empty(GeneratorRunner.Problems(output));
        var generated = results.Single(r => r.Generator.GetGeneratorType() == typeof(DifferentiableGenerator)).GeneratedSources;
        Assert.Equal(5, generated.Length);
        foreach (var source in generated.OrderBy(g => g.HintName, StringComparer.Ordinal))
            Snapshot.Verify($"Differentiation/Composition/{Path.GetFileNameWithoutExtension(source.HintName)}", source.SourceText.ToString());
    }

    [Fact]
    public void Rerunning_on_a_cloned_compilation_reuses_every_step()
    {
        var compilation = TestCompilation.Create(("Models.cs", CompositionInputs.Models));
        var driver = GeneratorRunner.CreateDriver().RunGenerators(compilation);
        var run = DifferentiableRun(driver.RunGenerators(compilation.Clone()).GetRunResult());

        foreach (var step in TrackedSteps)
        {
            Assert.True(run.TrackedSteps.ContainsKey(step), $"step {step} was not tracked");
            foreach (var output in run.TrackedSteps[step].SelectMany(s => s.Outputs))
                Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"step {step} output was {output.Reason}");
        }

        foreach (var output in run.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs))
            Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"a source output was {output.Reason}");
    }

    [Fact]
    public void The_same_source_twice_gives_equal_but_distinct_specs_without_compiler_objects()
    {
        List<object> Specs() => DifferentiableRun(GeneratorRunner.CreateDriver().RunGenerators(TestCompilation.Create(("Models.cs", CompositionInputs.Models))).GetRunResult())
            .TrackedSteps[TrackingNames.DifferentiableReverse].SelectMany(s => s.Outputs).Select(o => o.Value).ToList();

        var first = Specs();
        var second = Specs();

        Assert.Equal(5, first.Count);
        Assert.Equal(first, second);
        for (var i = 0; i < first.Count; i++)
            Assert.False(ReferenceEquals(first[i], second[i]));
        CompilerObjects.AssertNone(first);
    }

    [Fact]
    public void Editing_a_called_model_s_body_leaves_its_caller_s_derivative_unchanged()
    {
        var compilation = TestCompilation.Create(("Models.cs", CompositionInputs.Models));
        var tree = compilation.SyntaxTrees.Single();
        var editedText = CompositionInputs.Models.Replace("=> x * scale;", "=> scale * x;");
        Assert.NotEqual(CompositionInputs.Models, editedText);
        var edited = compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(editedText)));

        var run = DifferentiableRun(GeneratorRunner.CreateDriver().RunGenerators(compilation).RunGenerators(edited).GetRunResult());

        // Only Scaled's own derivative changes: a caller depends on the callee's name and type, not its body.
        var reasons = run.TrackedSteps[TrackingNames.DifferentiableReverse].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.Equal(1, reasons.Count(r => r == IncrementalStepRunReason.Modified));
        var modified = run.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).Count(o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Equal(1, modified);
    }
}
