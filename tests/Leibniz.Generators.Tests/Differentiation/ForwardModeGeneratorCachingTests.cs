using Leibniz.Generators.Pipelines;
using Leibniz.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Leibniz.Generators.Tests.Differentiation;

public sealed class ForwardModeGeneratorCachingTests
{
    static readonly string[] TrackedSteps = { TrackingNames.ForwardFrontend, TrackingNames.ForwardTangents, TrackingNames.ForwardTypes };

    static GeneratorRunResult Rerun(Compilation first, Compilation second)
    {
        var driver = GeneratorRunner.CreateDriver().RunGenerators(first);
        return driver.RunGenerators(second).GetRunResult().Results.Single(r => r.Generator.GetGeneratorType() == typeof(ForwardModeGenerator));
    }

    static void AssertAllReused(GeneratorRunResult run)
    {
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
    public void Rerunning_on_a_cloned_compilation_reuses_every_step()
    {
        var compilation = TestCompilation.Create(("Functions.cs", ForwardInputs.Scalar));
        AssertAllReused(Rerun(compilation, compilation.Clone()));
    }

    [Fact]
    public void An_unrelated_new_file_reuses_every_step()
    {
        var compilation = TestCompilation.Create(("Functions.cs", ForwardInputs.Scalar));
        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Elsewhere; public static class Helpers { public static int Twice(int x) => 2 * x; }", TestCompilation.ParseOptions, "Unrelated.cs"));
        AssertAllReused(Rerun(compilation, edited));
    }

    [Fact]
    public void A_comment_inside_a_function_reuses_the_tangents_and_the_output()
    {
        var compilation = TestCompilation.Create(("Functions.cs", ForwardInputs.Scalar));
        var tree = compilation.SyntaxTrees.Single();
        var editedText = ForwardInputs.Scalar.Replace("var sum = 0.0;", "var sum = 0.0; // the running total");
        Assert.NotEqual(ForwardInputs.Scalar, editedText);

        var run = Rerun(compilation, compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(SourceText.From(editedText))));

        Assert.All(run.TrackedSteps[TrackingNames.ForwardTangents].SelectMany(s => s.Outputs),
            output => Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"tangent step was {output.Reason}"));
        Assert.All(run.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            output => Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"a source output was {output.Reason}"));
    }

    [Fact]
    public void Changing_a_function_regenerates_its_tangent()
    {
        var compilation = TestCompilation.Create(("Functions.cs", ForwardInputs.Scalar));
        var tree = compilation.SyntaxTrees.Single();
        var editedText = ForwardInputs.Scalar.Replace("Math.Sin(x) * x;", "Math.Cos(x) * x;");

        var run = Rerun(compilation, compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(SourceText.From(editedText))));

        Assert.Contains(run.TrackedSteps[TrackingNames.ForwardTangents].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains(run.GeneratedSources, g => g.SourceText.ToString().Contains("(-global::System.Math.Sin(x))") || g.SourceText.ToString().Contains("global::System.Math.Sin(x);"));
    }

    [Fact]
    public void The_pipeline_models_hold_no_compiler_objects()
    {
        var run = GeneratorRunner.CreateDriver().RunGenerators(TestCompilation.Create(("Functions.cs", ForwardInputs.Scalar))).GetRunResult()
            .Results.Single(r => r.Generator.GetGeneratorType() == typeof(ForwardModeGenerator));
        var values = TrackedSteps.SelectMany(name => run.TrackedSteps[name]).SelectMany(step => step.Outputs).Select(o => o.Value).ToList();
        Assert.NotEmpty(values);
        CompilerObjects.AssertNone(values);
    }
}
